import type { FieldIssue } from './types';

/**
 * Turns the API's 400 details into one message per form field. The API names fields by their
 * JSON path (`partySize`, `eventTypes.0`); a form shows them next to the top-level field.
 * Issues about fields the form does not show (or the body itself) are returned separately, so
 * the form can still say what went wrong instead of dropping them.
 */
export interface MappedIssues {
  byField: Record<string, string>;
  other: string[];
}

export function topLevelField(path: string): string {
  const match = /^[^.[]+/.exec(path);
  return match ? match[0] : path;
}

/** "partySize must be a whole number" → "Must be a whole number": the field is already labelled. */
export function readableMessage(field: string, message: string): string {
  const trimmed = message.trim();
  let text = trimmed;
  for (const prefix of [field, topLevelField(field)]) {
    if (text.startsWith(`${prefix} `)) {
      text = text.slice(prefix.length + 1);
      break;
    }
  }
  if (text.length === 0) return trimmed;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function mapFieldIssues(details: FieldIssue[] | undefined, formFields: readonly string[]): MappedIssues {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const issue of details ?? []) {
    const field = topLevelField(issue.field);
    const message = readableMessage(issue.field, issue.message);
    if (formFields.includes(field)) {
      // Several rules can fail for one field; the first is the one to fix first.
      byField[field] ??= message;
    } else {
      other.push(`${issue.field}: ${issue.message}`);
    }
  }
  return { byField, other };
}
