import { ValidateBy, ValidationOptions } from 'class-validator';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 date-time (`2026-01-02T03:04:05Z`, `…05.123+01:00`): the full date, time and
 * offset, every part in range. Leap seconds (`:60`) are refused because Date cannot hold them.
 */
export function isRfc3339(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return false;
  // Optional group: undefined for `Z`, though RegExpExecArray types every entry as a string.
  const offsetHour = match[9] as string | undefined;
  if (offsetHour !== undefined && (Number(offsetHour) > 23 || Number(match[10]) > 59)) return false;
  // Day in range for that month (leap years included): Date.UTC rolls 2021-02-29 over to March.
  if (day < 1 || new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return false;
  return !Number.isNaN(Date.parse(value));
}

/** class-validator decorator for `isRfc3339`; the message names the property, and says "required" when it is missing. */
export function IsRfc3339(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRfc3339',
      validator: {
        validate: (value: unknown) => isRfc3339(value),
        defaultMessage: (args) =>
          args?.value === undefined || args.value === null
            ? `${args?.property ?? 'value'} is required: an RFC 3339 date-time such as 2026-01-02T03:04:05Z`
            : `${args.property} must be an RFC 3339 date-time such as 2026-01-02T03:04:05Z`,
      },
    },
    options,
  );
}
