import type { ValidationError } from '../datastore.model.ts';

export type ReadErrorType = 'source-error' | 'encoding-error' | 'format-error' | 'compression-error';

/** A file-level failure while reading a table; the validator reports it as a Frictionless error. */
export class ReadError extends Error {
  readonly type: ReadErrorType;
  /** Physical row number near which the reader failed, when it is known. */
  readonly rowNumber: number | undefined;

  constructor(type: ReadErrorType, message: string, options?: { rowNumber?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReadError';
    this.type = type;
    this.rowNumber = options?.rowNumber;
  }

  toValidationError(): ValidationError {
    return { type: this.type, message: this.message };
  }
}

export function isReadError(error: unknown): error is ReadError {
  return error instanceof ReadError;
}
