import { type FieldPath, fieldKey, fieldPathOf } from './problem-paths.ts';

/** Every field the editor shows, with `#` for a row number. */
const FIELDS = new Set([
  'code',
  'organizationId',
  'providerCreditCode',
  'title.zh',
  'title.en',
  'title.fr',
  'summary.zh',
  'summary.en',
  'summary.fr',
  'classification',
  'theme',
  'keywords',
  'formats',
  'informationItems.#.name',
  'informationItems.#.title.zh',
  'informationItems.#.title.en',
  'informationItems.#.title.fr',
  'informationItems.#.type',
  'informationItems.#.description',
  'informationItems.#.grade',
  'informationItems.#.personalInfo',
  'shareType',
  'shareCondition',
  'shareMethod',
  'openType',
  'openCondition',
  'updateCycle',
  'releaseDate',
  'lastUpdate',
  'relatedCodes',
  'license',
  'contactPoint.name',
  'contactPoint.email',
  'contactPoint.phone',
  'spatialCoverage',
  'temporalCoverage.start',
  'temporalCoverage.end',
  'grade',
  'distributions.#.kind',
  'distributions.#.title.zh',
  'distributions.#.title.en',
  'distributions.#.title.fr',
  'distributions.#.format',
  'distributions.#.url',
  'distributions.#.mediaType',
  'distributions.#.byteSize',
  'distributions.#.description',
]);

/** Lists whose own messages ("at least one item") show above their table, not on a field. */
export const LIST_FIELDS = ['informationItems', 'distributions'] as const;
export type ListField = (typeof LIST_FIELDS)[number];

function pattern(path: FieldPath): string {
  return path.map((p) => (typeof p === 'number' ? '#' : p)).join('.');
}

/** Does the editor have a field at this path (with that row present)? */
export function isEditorField(
  path: FieldPath,
  rows: Partial<Record<ListField, number>> = {},
  extras: readonly string[] = [],
): boolean {
  if (path.length === 2 && path[0] === 'extras') return extras.includes(String(path[1]));
  if (!FIELDS.has(pattern(path))) return false;
  const [head, index] = path;
  if (typeof index === 'number' && (head === 'informationItems' || head === 'distributions'))
    return index < (rows[head] ?? 0);
  return true;
}

export interface PlacedError {
  key: string;
  /** Where the message goes: a field, a list, or the form as a whole. */
  place: { kind: 'field'; path: FieldPath } | { kind: 'list'; list: ListField } | { kind: 'form' };
  path: string;
  message: string;
}

/** Decides where each server message shows, keeping the first message per field. */
export function placeErrors(
  errors: readonly { path: string; message: string }[],
  rows: Partial<Record<ListField, number>>,
  extras: readonly string[] = [],
): PlacedError[] {
  const seen = new Set<string>();
  const out: PlacedError[] = [];
  for (const error of errors) {
    const path = fieldPathOf(error.path);
    const key = fieldKey(path);
    let place: PlacedError['place'];
    if (isEditorField(path, rows, extras)) place = { kind: 'field', path };
    else if (path.length === 1 && (LIST_FIELDS as readonly string[]).includes(String(path[0])))
      place = { kind: 'list', list: path[0] as ListField };
    else place = { kind: 'form' };
    const dedupe = place.kind === 'form' ? `${key}:${error.message}` : key;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    out.push({ key, place, path: error.path, message: error.message });
  }
  return out;
}
