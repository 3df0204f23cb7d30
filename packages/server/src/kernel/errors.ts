/**
 * Errors that services throw. One Fastify error handler renders them as RFC 9457 problem documents;
 * the CLI prints their message on one line. `code` is stable: clients and tests key on it.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class DatapolisError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly errors: FieldError[] | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    options: { details?: Record<string, unknown>; errors?: FieldError[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = options.details;
    this.errors = options.errors;
  }
}

export class ValidationError extends DatapolisError {
  constructor(message: string, errors: FieldError[] = [], code = 'VALIDATION_FAILED') {
    super(code, 400, message, { errors });
  }
}

export class UnauthenticatedError extends DatapolisError {
  constructor(message = 'Sign in or send a valid API token to do this.', code = 'AUTH_REQUIRED') {
    super(code, 401, message);
  }
}

export class ForbiddenError extends DatapolisError {
  constructor(message = 'You are not allowed to do this.', code = 'FORBIDDEN') {
    super(code, 403, message);
  }
}

export class NotFoundError extends DatapolisError {
  constructor(code: string, message: string) {
    super(code, 404, message);
  }
}

export class ConflictError extends DatapolisError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 409, message, details === undefined ? {} : { details });
  }
}

export class PayloadTooLargeError extends DatapolisError {
  constructor(message: string, code = 'PAYLOAD_TOO_LARGE') {
    super(code, 413, message);
  }
}

export class TooManyRequestsError extends DatapolisError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, code = 'TOO_MANY_REQUESTS') {
    super(code, 429, message, { details: { retryAfterSeconds } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Start-up configuration problems: the process stops with this one line. */
export class ConfigError extends DatapolisError {
  constructor(message: string) {
    super('CONFIG_INVALID', 500, message);
  }
}

/** Turns a stable code like CATALOG_DATASET_NOT_FOUND into the problem type URI. */
export function problemType(code: string): string {
  return `urn:datapolis:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}
