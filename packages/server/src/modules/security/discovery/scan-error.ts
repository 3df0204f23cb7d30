import { DatapolisError } from '../../../kernel/errors.ts';

export type ScanErrorCode =
  | 'SECURITY_SCAN_BINARY'
  | 'SECURITY_SCAN_NO_TABLE'
  | 'SECURITY_SCAN_MALFORMED'
  | 'SECURITY_SCAN_UNREADABLE'
  | 'SECURITY_SCAN_INVALID_OPTIONS';

/**
 * A file the scanner cannot read as a table: binary data (an image, NUL bytes), an archive without a
 * table, a malformed or unreadable file, or options out of range. One readable message, a stable code.
 */
export class ScanError extends DatapolisError {
  declare readonly code: ScanErrorCode;

  constructor(code: ScanErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, code === 'SECURITY_SCAN_INVALID_OPTIONS' ? 400 : 422, message, options);
  }
}

export function isScanError(error: unknown): error is ScanError {
  return error instanceof ScanError;
}
