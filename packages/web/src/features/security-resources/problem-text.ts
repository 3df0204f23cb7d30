import { ApiError } from '../../api/client.ts';

/** Refusals of the scan, risk and derivation routes the pages explain in the reader's language. */
export const KNOWN_PROBLEMS = [
  'SECURITY_NOT_RESPONSIBLE',
  'SECURITY_NO_DATA',
  'SECURITY_TABLE_TOO_LARGE',
  'SECURITY_SCAN_NOT_FOUND',
  'SECURITY_DERIVATION_NOT_FOUND',
  'SECURITY_TARGET_FORBIDDEN',
  'DEID_HIERARCHY_INCOMPLETE',
  'DEID_UNKNOWN_FIELD',
  'DEID_K_TOO_LARGE',
  'DEID_BAD_HIERARCHY',
  'DEID_BAD_PLAN',
  'DEID_BAD_VALUE',
  'DEID_BAD_OPTIONS',
  'DEID_SUPPRESSION_LIMIT',
  'DEID_NO_SOLUTION',
  'VALIDATION_FAILED',
] as const;

/**
 * How to show an API refusal: the text key for its code when the client has one, and whether the
 * server's own sentence should follow it (the engine's refusals name the values at fault; the others say
 * nothing the translated text does not).
 */
export function problemText(error: unknown): { key: string; withDetail: boolean } | undefined {
  if (!(error instanceof ApiError) || error.code === undefined) return undefined;
  if (!(KNOWN_PROBLEMS as readonly string[]).includes(error.code)) return undefined;
  return {
    key: `securityResources.problems.${error.code}`,
    withDetail: error.code.startsWith('DEID_') || error.code === 'VALIDATION_FAILED',
  };
}
