/** A form field's name as antd's Form wants it: `['informationItems', 2, 'name']`. */
export type FieldPath = (string | number)[];

export interface PathMessage {
  path: string;
  message: string;
}

/** Reads a JSON pointer (`/title/zh`, with ~1 and ~0 escapes) or a dotted path (`title.zh`) into segments. */
export function pathSegments(path: string): string[] {
  const pointer = path.startsWith('/');
  const parts = pointer ? path.split('/').slice(1) : path.split(/[./]/);
  const segments = parts
    .filter((p) => p !== '')
    .map((p) => (pointer ? p.replaceAll('~1', '/').replaceAll('~0', '~') : p));
  // Schema errors without a field are reported against the whole body.
  return segments[0] === 'body' ? segments.slice(1) : segments;
}

/** Lists edited as one control (tags, multi-selects): a message about one value goes on the whole list. */
const LIST_FIELDS = new Set(['keywords', 'formats', 'relatedCodes']);
/** Localised texts are edited per language; a message about the whole text goes on the Chinese field. */
const LOCALIZED = new Set(['title', 'summary']);
/** Objects edited as several fields; a message about the object goes on its first field. */
const FIRST_FIELD: Record<string, string> = { contactPoint: 'name', temporalCoverage: 'start' };

/**
 * The editor field a server message belongs to. `/title/zh` → title.zh; `/informationItems/2/name` →
 * informationItems[2].name; `/keywords/3` → keywords; `/contactPoint` → contactPoint.name.
 */
export function fieldPathOf(path: string): FieldPath {
  const segments = pathSegments(path);
  const out: FieldPath = [];
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i]!;
    if (/^\d+$/.test(segment)) out.push(Number(segment));
    else out.push(segment);
  }
  const head = out[0];
  if (typeof head !== 'string') return out;
  if (LIST_FIELDS.has(head)) return [head];
  if (out.length === 1 && LOCALIZED.has(head)) return [head, 'zh'];
  if (out.length === 1 && FIRST_FIELD[head] !== undefined) return [head, FIRST_FIELD[head]];
  // Items and distributions: a message about a row's localised title goes on its Chinese title.
  if ((head === 'informationItems' || head === 'distributions') && out.length === 3 && out[2] === 'title') {
    return [...out, 'zh'];
  }
  return out;
}

/** Stable string form of a field path, to compare and deduplicate them. */
export function fieldKey(path: FieldPath): string {
  return path.join('.');
}

export interface EntryProblems {
  code: string;
  problems: PathMessage[];
}

/**
 * Splits a refused submission's errors (`/<resource code>/title/zh`) by entry, in the order the server
 * listed them; each problem keeps the rest of its path (`/title/zh`).
 */
export function groupByEntry(errors: readonly PathMessage[]): EntryProblems[] {
  const groups = new Map<string, PathMessage[]>();
  for (const error of errors) {
    const segments = pathSegments(error.path);
    const code = segments[0] ?? '';
    const rest = `/${segments.slice(1).join('/')}`;
    const list = groups.get(code) ?? [];
    list.push({ path: rest === '/' ? '' : rest, message: error.message });
    groups.set(code, list);
  }
  return [...groups].map(([code, problems]) => ({ code, problems }));
}
