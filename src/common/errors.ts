export interface FieldIssue {
  field: string;
  message: string;
}

/** Domain failures; the global filter maps each kind to its HTTP status. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    message: string,
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends DomainError {
  readonly status = 400;
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(kind: string, id: string) {
    super(`${kind} ${id} not found`);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
}

export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
}
