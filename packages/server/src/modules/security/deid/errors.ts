export type DeidErrorCode =
  | 'hierarchy-incomplete'
  | 'unknown-field'
  | 'k-too-large'
  | 'bad-hierarchy'
  | 'bad-plan'
  | 'bad-value'
  | 'bad-options'
  | 'suppression-limit'
  | 'no-solution';

/** Every refusal of the engine: a stable code for callers (problem+json `code`) and one readable sentence. */
export class DeidError extends Error {
  readonly code: DeidErrorCode;
  constructor(code: DeidErrorCode, message: string) {
    super(message);
    this.name = 'DeidError';
    this.code = code;
  }
}

export function isDeidError(error: unknown): error is DeidError {
  return error instanceof DeidError;
}

/** "a", "b", "c" and 4 more: the first few items of a list for an error message. */
export function firstFew(items: readonly string[], max = 5): string {
  const shown = items
    .slice(0, max)
    .map((s) => JSON.stringify(s))
    .join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
