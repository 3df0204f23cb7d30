import { ReadError } from './errors.ts';

export interface CsvDialect {
  delimiter: string;
  /** Undefined: no quoting. */
  quote: string | undefined;
  /** An escape character other than the quote (a doubled quote always escapes a quote). */
  escape: string | undefined;
  /** Skip spaces right after a delimiter (Python's skipinitialspace). */
  ltrim: boolean;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const INCOMPLETE = -1;

/**
 * A CSV tokenizer over decoded text, fed chunk by chunk, with Python csv semantics (which Frictionless
 * uses): quoted cells may hold delimiters and newlines, `""` is a quote inside quotes, an optional escape
 * character, a quote inside an unquoted cell is kept as text, characters after a closing quote are
 * appended, and \r\n, \n and \r all end a record. A blank line is the record `['']`.
 *
 * It scans with charCodeAt and takes cells as slices, which is several times faster than csv-parse's
 * byte-by-byte state machine. An unfinished record at the end of a chunk is parsed again with the next
 * chunk; a record growing past the limit stops the read without being buffered further.
 */
export class CsvTokenizer {
  private readonly delimiter: string;
  private readonly d0: number;
  private readonly quote: number;
  private readonly escapeCode: number;
  private readonly ltrim: boolean;
  private readonly maxRecordChars: number;
  private readonly maxColumns: number;
  private carry = '';
  private sinceAttempt = 0;
  private started = false;
  private cellCount = 0;
  /** Records completed so far, to name the row in errors. */
  records = 0;

  constructor(dialect: CsvDialect, limits: { maxRecordChars: number; maxColumns: number }) {
    this.delimiter = dialect.delimiter;
    this.d0 = dialect.delimiter.charCodeAt(0);
    this.quote = dialect.quote === undefined || dialect.quote === '' ? -2 : dialect.quote.charCodeAt(0);
    this.escapeCode =
      dialect.escape === undefined || dialect.escape === '' || dialect.escape === dialect.quote
        ? -3
        : dialect.escape.charCodeAt(0);
    this.ltrim = dialect.ltrim;
    this.maxRecordChars = limits.maxRecordChars;
    this.maxColumns = limits.maxColumns;
  }

  write(text: string, onRecord: (cells: string[]) => void): void {
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.sinceAttempt += text.length;
    const input = this.carry.length > 0 ? this.carry + text : text;
    // A long unfinished record is retried only once the input has grown by half: linear, not quadratic.
    if (this.carry.length > 1 << 20 && this.sinceAttempt * 2 < this.carry.length) {
      this.carry = input;
      this.checkCarry();
      return;
    }
    this.sinceAttempt = 0;
    this.carry = this.parse(input, false, onRecord);
    this.checkCarry();
  }

  end(onRecord: (cells: string[]) => void): void {
    const input = this.carry;
    this.carry = '';
    if (input.length > 0) this.parse(input, true, onRecord);
  }

  private checkCarry(): void {
    if (this.carry.length > this.maxRecordChars) throw this.tooLong();
  }

  private tooLong(): ReadError {
    const row = this.records + 1;
    return new ReadError(
      'format-error',
      `row ${row} has a line or cell longer than ${this.maxRecordChars} bytes, the most accepted`,
      { rowNumber: row },
    );
  }

  private tooWide(columns: number, more = false): ReadError {
    const row = this.records + 1;
    return new ReadError(
      'format-error',
      `the table has ${more ? 'more than ' : ''}${columns} columns; at most ${this.maxColumns} are accepted`,
      { rowNumber: row },
    );
  }

  /** Parses whole records from `text`; returns the unfinished tail. */
  private parse(text: string, final: boolean, onRecord: (cells: string[]) => void): string {
    const n = text.length;
    let pos = 0;
    while (pos < n) {
      const start = pos;
      this.cellCount = 0;
      const end = this.record(text, pos, final, onRecord);
      if (end === INCOMPLETE) {
        // Too wide already: no need to wait for the end of the record.
        if (this.cellCount > this.maxColumns) throw this.tooWide(this.cellCount, true);
        return text.slice(start);
      }
      if (end - start > this.maxRecordChars) throw this.tooLong();
      pos = end;
    }
    return '';
  }

  private emit(cells: string[], onRecord: (cells: string[]) => void): void {
    if (this.cellCount > this.maxColumns) throw this.tooWide(this.cellCount);
    this.cellCount = 0;
    this.records++;
    onRecord(cells);
  }

  /** Parses one record starting at `pos`; returns where the next one starts, or INCOMPLETE. */
  private record(text: string, pos: number, final: boolean, onRecord: (cells: string[]) => void): number {
    const n = text.length;
    const { d0, quote, escapeCode } = this;
    const singleDelimiter = this.delimiter.length === 1;
    const delimiterLength = this.delimiter.length;
    const cells: string[] = [];
    for (;;) {
      // One cell.
      if (this.ltrim) while (pos < n && text.charCodeAt(pos) === SPACE) pos++;
      let value: string;
      let c = pos < n ? text.charCodeAt(pos) : -1;
      if (c === quote) {
        pos++;
        value = '';
        let segment = pos;
        for (;;) {
          if (pos >= n) {
            if (!final) return INCOMPLETE;
            throw new ReadError('format-error', `a quoted cell in row ${this.records + 1} is never closed`, {
              rowNumber: this.records + 1,
            });
          }
          c = text.charCodeAt(pos);
          if (c === quote) {
            if (pos + 1 >= n && !final) return INCOMPLETE;
            if (text.charCodeAt(pos + 1) === quote) {
              value += text.slice(segment, pos + 1);
              pos += 2;
              segment = pos;
              continue;
            }
            value += text.slice(segment, pos);
            pos++;
            break;
          }
          if (c === escapeCode) {
            if (pos + 1 >= n && !final) return INCOMPLETE;
            value += text.slice(segment, pos);
            segment = pos + 1;
            pos += 2;
            continue;
          }
          pos++;
        }
        // Text after the closing quote belongs to the cell, as in Python.
        const tail = pos;
        while (pos < n) {
          c = text.charCodeAt(pos);
          if (c === LF || c === CR || (c === d0 && (singleDelimiter || text.startsWith(this.delimiter, pos))))
            break;
          pos++;
        }
        if (pos > tail) value += text.slice(tail, pos);
      } else {
        const begin = pos;
        let built: string | undefined;
        let segment = pos;
        while (pos < n) {
          c = text.charCodeAt(pos);
          if (c === d0 && (singleDelimiter || text.startsWith(this.delimiter, pos))) break;
          if (c === LF || c === CR) break;
          if (c === escapeCode) {
            if (pos + 1 >= n && !final) return INCOMPLETE;
            built = (built ?? '') + text.slice(segment, pos);
            segment = pos + 1;
            pos += 2;
            continue;
          }
          pos++;
        }
        if (pos > n) pos = n;
        value = built === undefined ? text.slice(begin, pos) : built + text.slice(segment, pos);
      }
      // Past the column limit cells are only counted, to report the width without holding the cells.
      if (++this.cellCount <= this.maxColumns) cells.push(value);
      if (pos >= n) {
        if (!final) return INCOMPLETE;
        this.emit(cells, onRecord);
        return n;
      }
      c = text.charCodeAt(pos);
      if (c === LF) {
        this.emit(cells, onRecord);
        return pos + 1;
      }
      if (c === CR) {
        if (pos + 1 >= n && !final) return INCOMPLETE;
        this.emit(cells, onRecord);
        return text.charCodeAt(pos + 1) === LF ? pos + 2 : pos + 1;
      }
      // A delimiter: another cell follows.
      pos += delimiterLength;
    }
  }
}
