// A generalisation hierarchy chosen from disk, read and checked in the browser before it is sent, so that a
// wrong file is explained at once, next to the field, rather than after a job has run. The layout is the
// one the server reads: one line per original value, the value first, then one column per level (the last
// usually "*"), no header, ";" "," tab or "|" between cells.

/** The server takes hierarchies of up to this many characters. */
export const MAX_HIERARCHY_CHARS = 10_000_000;

export type HierarchyProblem =
  | { code: 'empty' }
  | { code: 'tooLarge'; limit: number }
  | { code: 'oneColumn' }
  | { code: 'ragged'; line: number; columns: number; expected: number }
  | { code: 'conflict'; value: string }
  | { code: 'notTree'; value: string; level: number };

export interface HierarchyFile {
  /** The text as sent to the server, byte-order mark removed. */
  csv: string;
  delimiter: string;
  /** Levels including level 0 (the value itself): the highest level one may choose is levels - 1. */
  levels: number;
  /** Distinct original values. */
  values: number;
  /** The first few lines, for the reader to check the file is the one meant. */
  preview: string[][];
}

export type HierarchyReading = { ok: true; file: HierarchyFile } | { ok: false; problem: HierarchyProblem };

function splitLine(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

/** The delimiter met most often in the first lines. */
function detectDelimiter(lines: readonly string[]): string {
  const sample = lines.slice(0, 20).join('\n');
  let best = ';';
  let bestCount = 0;
  for (const candidate of [';', ',', '\t', '|']) {
    const count = sample.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** Reads and checks a hierarchy's text: same columns on every line, one row per value, a tree. */
export function readHierarchyText(text: string): HierarchyReading {
  if (text.length > MAX_HIERARCHY_CHARS)
    return { ok: false, problem: { code: 'tooLarge', limit: MAX_HIERARCHY_CHARS } };
  const csv = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = csv.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '');
  if (lines.length === 0) return { ok: false, problem: { code: 'empty' } };
  const delimiter = detectDelimiter(lines);
  const rows = lines.map((line) => splitLine(line, delimiter));
  const width = rows[0]?.length ?? 0;
  if (width < 2) return { ok: false, problem: { code: 'oneColumn' } };
  const map = new Map<string, string[]>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as string[];
    if (row.length !== width)
      return { ok: false, problem: { code: 'ragged', line: i + 1, columns: row.length, expected: width } };
    const [value, ...levels] = row as [string, ...string[]];
    const known = map.get(value);
    if (known !== undefined && known.join('\u0000') !== levels.join('\u0000'))
      return { ok: false, problem: { code: 'conflict', value } };
    map.set(value, levels);
  }
  // Each level must be a function of the one below, or generalising would not be monotone.
  for (let level = 1; level < width - 1; level++) {
    const parent = new Map<string, string>();
    for (const levels of map.values()) {
      const child = levels[level - 1] as string;
      const up = levels[level] as string;
      const seen = parent.get(child);
      if (seen !== undefined && seen !== up)
        return { ok: false, problem: { code: 'notTree', value: child, level } };
      parent.set(child, up);
    }
  }
  return {
    ok: true,
    file: { csv, delimiter, levels: width, values: map.size, preview: rows.slice(0, 3) },
  };
}

/**
 * The text of a file from disk: UTF-8 when it is valid UTF-8, else GB18030 (what spreadsheet programs
 * write for Chinese text on Windows).
 */
export async function readHierarchyFile(file: Blob): Promise<HierarchyReading> {
  if (file.size > MAX_HIERARCHY_CHARS * 4)
    return { ok: false, problem: { code: 'tooLarge', limit: MAX_HIERARCHY_CHARS } };
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return readHierarchyText(text);
}
