import type {
  ReadLimits,
  ReadOptions,
  SourceFormat,
  SourceInfo,
  SourceRow,
  TableSource,
} from '../datastore.model.ts';
import { generatedLabels } from './csv.ts';
import { detectCompression } from './detect.ts';
import { ReadError } from './errors.ts';
import { openText } from './text.ts';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;
}

function formatError(message: string): ReadError {
  return new ReadError('format-error', message);
}

/**
 * Splits a JSON text into the items of one array without parsing the whole: the top-level array, or (for
 * GeoJSON) the array under the root object's "features" key. It tracks strings, escapes and nesting, and
 * hands each item's text, with the line it starts on, to `emit`.
 */
export class JsonItemScanner {
  private readonly stack: number[] = [];
  private inString = false;
  private escaped = false;
  private line = 1;
  /** Nesting depth of the items wanted (1: items of the root array; 2: items of root.features). */
  private targetDepth = -1;
  private readonly wantFeatures: boolean;
  private targetClosed = false;
  private rootSeen = false;
  private rootClosed = false;
  // The item being collected.
  private collecting = false;
  private itemParts: string[] = [];
  private itemSize = 0;
  private itemLine = 0;
  private itemIsScalar = false;
  /** Inside the target array: expecting an item (true) or a comma or the closing bracket (false). */
  private expectItem = true;
  // Root-object keys, to find "features".
  private keyCapture: string | undefined;
  private lastKey: string | undefined;
  private expectKey = false;
  private readonly maxItemChars: number;
  /** Whether the root is an object (GeoJSON) rather than an array. */
  rootIsObject = false;

  constructor(options: { features: boolean; maxItemChars: number }) {
    this.wantFeatures = options.features;
    this.maxItemChars = options.maxItemChars;
  }

  get foundTarget(): boolean {
    return this.targetDepth > 0;
  }

  write(text: string, emit: (item: string, line: number) => void): void {
    let start = this.collecting ? 0 : -1;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.keyCapture !== undefined) {
            this.lastKey = this.keyCapture;
            this.keyCapture = undefined;
          }
        } else if (this.keyCapture !== undefined && this.keyCapture.length < 64) this.keyCapture += text[i];
        else if (c === NEWLINE) this.line++;
        continue;
      }
      if (c === NEWLINE) this.line++;
      if (isSpace(c)) continue;
      const depth = this.stack.length;
      if (this.rootClosed)
        throw formatError(`the JSON has extra content after its end, at line ${this.line}`);
      if (!this.rootSeen) {
        this.rootSeen = true;
        if (c === OPEN_BRACKET && !this.wantFeatures) this.targetDepth = 1;
        else if (c === OPEN_BRACE) this.rootIsObject = true;
        else if (c === OPEN_BRACKET)
          throw formatError('the GeoJSON is an array, not a FeatureCollection object');
        else throw formatError(`the JSON does not start with an array or an object (line ${this.line})`);
      }
      // Items of the target array: its direct children.
      if (depth === this.targetDepth && !this.targetClosed) {
        if (c === CLOSE_BRACKET || c === COMMA) {
          if (this.collecting) {
            if (start >= 0) this.addPart(text.slice(start, i));
            this.finishItem(emit);
            start = -1;
          } else if (this.expectItem && (c === COMMA || this.sawItem)) {
            throw formatError(`the JSON has a misplaced "${text[i]}" at line ${this.line}`);
          }
          if (c === COMMA) {
            this.expectItem = true;
            continue;
          }
        } else if (!this.collecting) {
          if (!this.expectItem)
            throw formatError(`the JSON lacks a comma between items at line ${this.line}`);
          this.collecting = true;
          this.sawItem = true;
          this.expectItem = false;
          this.itemLine = this.line;
          this.itemIsScalar = c !== OPEN_BRACE && c !== OPEN_BRACKET;
          start = i;
        }
      }
      if (c === QUOTE) {
        this.inString = true;
        if (depth === 1 && this.rootIsObject && this.expectKey) this.keyCapture = '';
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (
          depth === 1 &&
          this.rootIsObject &&
          c === OPEN_BRACKET &&
          this.lastKey === 'features' &&
          !this.foundTarget
        )
          this.targetDepth = 2;
        this.stack.push(c);
        if (this.stack.length === 1 && c === OPEN_BRACE) this.expectKey = true;
        continue;
      }
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        const open = this.stack.pop();
        if (open === undefined || (open === OPEN_BRACE) !== (c === CLOSE_BRACE))
          throw formatError(`the JSON has an unexpected "${text[i]}" at line ${this.line}`);
        const now = this.stack.length;
        if (this.collecting && !this.itemIsScalar && now === this.targetDepth) {
          this.addPart(text.slice(start, i + 1));
          start = -1;
          this.finishItem(emit);
        }
        if (now === this.targetDepth - 1 && this.foundTarget) this.targetClosed = true;
        if (now === 0) this.rootClosed = true;
        continue;
      }
      if (depth === 1 && this.rootIsObject) {
        if (c === COMMA) this.expectKey = true;
        else if (c === COLON) this.expectKey = false;
      }
    }
    if (this.collecting && start >= 0) this.addPart(text.slice(start));
  }

  private sawItem = false;

  private addPart(part: string): void {
    this.itemSize += part.length;
    if (this.itemSize > this.maxItemChars)
      throw formatError(
        `the item that starts at line ${this.itemLine} is longer than ${this.maxItemChars} characters, the most accepted`,
      );
    this.itemParts.push(part);
  }

  private finishItem(emit: (item: string, line: number) => void): void {
    const item = this.itemParts.length === 1 ? (this.itemParts[0] ?? '') : this.itemParts.join('');
    this.itemParts = [];
    this.itemSize = 0;
    this.collecting = false;
    emit(item, this.itemLine);
  }

  end(): void {
    if (this.inString || this.stack.length > 0 || !this.rootSeen)
      throw formatError(`the JSON ends unexpectedly at line ${this.line}: it is incomplete`);
  }
}

/** Splits NDJSON into lines, holding at most one line in memory. */
class LineSplitter {
  private parts: string[] = [];
  private size = 0;
  private line = 0;
  private readonly maxChars: number;

  constructor(maxChars: number) {
    this.maxChars = maxChars;
  }

  write(text: string, emit: (item: string, line: number) => void): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.add(text.slice(start, nl));
      this.flush(emit);
      start = nl + 1;
    }
    if (start < text.length) this.add(text.slice(start));
  }

  private add(part: string): void {
    this.size += part.length;
    if (this.size > this.maxChars)
      throw formatError(
        `line ${this.line + 1} is longer than ${this.maxChars} characters, the most accepted`,
      );
    this.parts.push(part);
  }

  private flush(emit: (item: string, line: number) => void): void {
    this.line++;
    const text = this.parts.length === 1 ? (this.parts[0] ?? '') : this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (text.trim() !== '') emit(text, this.line);
  }

  end(emit: (item: string, line: number) => void): void {
    if (this.size > 0) this.flush(emit);
  }
}

function parseItem(text: string, line: number, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw formatError(`the ${what} at line ${line} is not valid JSON: ${(error as Error).message}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function labelText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string'
    ? value
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
}

/** How many features GeoJSON labels are gathered from before the header is settled. */
const GEOJSON_LABEL_SAMPLE = 100;

export async function openJson(
  path: string,
  options: ReadOptions,
  limits: ReadLimits,
  requested: 'json' | 'ndjson' | 'geojson',
): Promise<TableSource> {
  const compression = options.compression ?? detectCompression(path);
  const label = requested === 'ndjson' ? 'NDJSON' : requested === 'geojson' ? 'GeoJSON' : 'JSON';
  const input = await openText(path, options, limits, compression, label);
  const { bytes } = input;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // Release the file first: a read still pending then ends instead of waiting for data.
    await bytes.close();
    await input.text.return(undefined).catch(() => undefined);
  };

  try {
    const maxItemChars = limits.maxCellBytes;
    const scanner =
      requested === 'ndjson'
        ? new LineSplitter(maxItemChars)
        : new JsonItemScanner({ features: requested === 'geojson', maxItemChars });
    // A .json file whose root is an object is read as GeoJSON (the features of a FeatureCollection).
    if (requested === 'json' && scanner instanceof JsonItemScanner && /^\s*\{/.test(input.sampleText))
      return await openJsonWith(
        new JsonItemScanner({ features: true, maxItemChars }),
        'geojson',
        requested,
        input,
        options,
        limits,
        close,
      );
    return await openJsonWith(scanner, requested, requested, input, options, limits, close);
  } catch (error) {
    await close();
    throw error;
  }
}

async function openJsonWith(
  scanner: JsonItemScanner | LineSplitter,
  format: 'json' | 'ndjson' | 'geojson',
  requested: 'json' | 'ndjson' | 'geojson',
  input: Awaited<ReturnType<typeof openText>>,
  options: ReadOptions,
  limits: ReadLimits,
  close: () => Promise<void>,
): Promise<TableSource> {
  const what = format === 'ndjson' ? 'line' : format === 'geojson' ? 'feature' : 'item';
  const pending: { text: string; line: number }[] = [];
  const collect = (text: string, line: number) => {
    pending.push({ text, line });
  };
  const iterator = input.text[Symbol.asyncIterator]();
  let finished = false;
  const step = async (): Promise<boolean> => {
    if (finished) return false;
    const next = await iterator.next();
    if (next.done) {
      finished = true;
      if (scanner instanceof LineSplitter) scanner.end(collect);
      else {
        scanner.end();
        if (format === 'geojson' && !scanner.foundTarget)
          throw formatError(
            requested === 'json'
              ? 'the JSON is an object, not an array of rows, and has no "features" array (GeoJSON)'
              : 'the GeoJSON has no "features" array: it is not a FeatureCollection',
          );
      }
      return false;
    }
    scanner.write(next.value, collect);
    return true;
  };

  const header = options.header !== false;
  const wanted = format === 'geojson' ? GEOJSON_LABEL_SAMPLE : 1;
  while (pending.length < wanted && (await step())) {}

  // Settle the header from the first item(s).
  let labels: string[] = [];
  let headerRowNumber = 0;
  let kind: 'arrays' | 'objects' | 'features' = format === 'geojson' ? 'features' : 'arrays';
  let rowNumber = 0;
  let queue: { text: string; line: number }[] = pending.splice(0);
  let firstValues: unknown[] = [];

  if (format === 'geojson') {
    const seen = new Set<string>();
    for (const item of queue) {
      const feature = parseItem(item.text, item.line, what);
      firstValues.push(feature);
      const properties = isObject(feature) ? feature.properties : undefined;
      if (isObject(properties) && firstValues.length <= GEOJSON_LABEL_SAMPLE)
        for (const key of Object.keys(properties))
          if (!seen.has(key)) {
            seen.add(key);
            labels.push(key);
          }
    }
    labels.push('geometry');
    headerRowNumber = 1;
    rowNumber = 1;
  } else if (queue.length > 0) {
    const first = queue[0]!;
    const value = parseItem(first.text, first.line, what);
    if (Array.isArray(value)) {
      kind = 'arrays';
      if (header) {
        labels = value.map(labelText);
        headerRowNumber = 1;
        rowNumber = 1;
        queue = queue.slice(1);
      } else {
        labels = generatedLabels(value.length);
        firstValues = [value];
      }
    } else if (isObject(value)) {
      kind = 'objects';
      labels = Object.keys(value);
      headerRowNumber = 1;
      rowNumber = 1;
      firstValues = [value];
    } else throw formatError(`the ${what} at line ${first.line} is not an array or an object`);
  }
  if (labels.length > limits.maxColumns)
    throw formatError(`the table has ${labels.length} columns; at most ${limits.maxColumns} are accepted`);

  const toRow = (value: unknown, line: number): SourceRow => {
    rowNumber++;
    if (kind === 'arrays') {
      if (!Array.isArray(value)) throw formatError(`the ${what} at line ${line} is not an array`);
      if (value.length > limits.maxColumns)
        throw formatError(`the table has ${value.length} columns; at most ${limits.maxColumns} are accepted`);
      return { rowNumber, cells: value };
    }
    if (kind === 'objects') {
      if (!isObject(value)) throw formatError(`the ${what} at line ${line} is not an object`);
      return { rowNumber, cells: labels.map((key) => (key in value ? value[key] : null)) };
    }
    if (!isObject(value)) throw formatError(`the feature at line ${line} is not an object`);
    const properties = isObject(value.properties) ? value.properties : {};
    const cells: unknown[] = new Array(labels.length);
    const last = labels.length - 1;
    for (let i = 0; i < last; i++) {
      const key = labels[i]!;
      cells[i] = key in properties ? properties[key] : null;
    }
    cells[last] = value.geometry ?? null;
    return { rowNumber, cells };
  };

  const info: SourceInfo = {
    format,
    encoding: input.encoding,
    compression: input.bytes.compression,
    delimiter: null,
    labels,
    headerRowNumber,
  };

  async function* rows(): AsyncGenerator<SourceRow> {
    try {
      // Items already parsed while settling the header come first.
      const parsedCount = firstValues.length;
      for (let i = 0; i < queue.length; i++) {
        const item = queue[i]!;
        const value = i < parsedCount ? firstValues[i] : parseItem(item.text, item.line, what);
        yield toRow(value, item.line);
      }
      queue = [];
      firstValues = [];
      while (await step()) {
        const items = pending.splice(0);
        for (const item of items) yield toRow(parseItem(item.text, item.line, what), item.line);
      }
      for (const item of pending.splice(0)) yield toRow(parseItem(item.text, item.line, what), item.line);
    } finally {
      await close();
    }
  }

  return { info, rows: rows(), bytesRead: () => input.bytes.bytesRead(), close };
}

export type JsonFormat = Extract<SourceFormat, 'json' | 'ndjson' | 'geojson'>;
