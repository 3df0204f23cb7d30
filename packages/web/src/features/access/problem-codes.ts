import { pathSegments } from '../catalog/problem-paths.ts';

/**
 * The refusal's code in the contract's spelling (`terms-not-accepted`), whether the server sends it so or
 * in the kernel's module-prefixed style (`ACCESS_TERMS_NOT_ACCEPTED`, `VALIDATION_FAILED`).
 */
export function problemCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  if (typeof error.code !== 'string' || error.code === '') return undefined;
  const code = error.code
    .toLowerCase()
    .replaceAll('_', '-')
    .replace(/^(access|opening|notifications?)-/, '');
  return code === 'validation-failed' ? 'validation' : code;
}

/** The first segment of a field error's path (`/fields/2`, `body/purpose`, `purpose`). */
export function fieldOfPath(path: string): string | undefined {
  return pathSegments(path)[0];
}
