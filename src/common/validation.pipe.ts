import { ArgumentMetadata, Injectable, PipeTransform, ValidationPipe, ValidationError } from '@nestjs/common';
import { FieldIssue, InvalidInputError } from './errors';

/**
 * class-validator's messages start with the property's own name ("since must be …"); a nested field's
 * message names its full path instead, so the message alone says which field it is about.
 */
function fieldMessage(field: string, property: string, message: string): string {
  return field !== property && message.startsWith(`${property} `) ? `${field}${message.slice(property.length)}` : message;
}

function flatten(errors: ValidationError[], parent = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      issues.push({ field, message: fieldMessage(field, error.property, message) });
    }
    if (error.children && error.children.length > 0) issues.push(...flatten(error.children, field));
  }
  return issues;
}

/**
 * Validates bodies and queries against their DTO classes: unknown fields are refused,
 * a body that is not a JSON object is refused, and every problem names its field.
 */
@Injectable()
export class AppValidationPipe implements PipeTransform {
  private readonly inner = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new InvalidInputError(
        // Each message already names its field (`details` carries it apart too): no "since: since must …".
        details.map((issue) => issue.message).join('; ') || 'Invalid input',
        details,
      );
    },
  });

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      // No body at all (Express 5 leaves req.body undefined) is an empty object, so routes whose
      // fields are all optional (`leave`) work without one; required fields still report by name.
      if (value === undefined) return this.inner.transform({}, metadata);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new InvalidInputError('Request body must be a JSON object', [{ field: 'body', message: 'must be a JSON object' }]);
      }
    }
    return this.inner.transform(value, metadata);
  }
}
