import type { Writable } from 'node:stream';
import { sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../../kernel/db/index.ts';

/**
 * Writes a version's rows as fast as the engine allows: one COPY FROM STDIN stream on PostgreSQL, COPY
 * from an in-memory blob per batch on PGlite. Rows go in without a surrounding transaction: the table is
 * invisible until the version goes live, and a failed load drops it.
 */
export interface BulkWriter {
  /** One row: `_id`, then each column as PostgreSQL text (null for NULL). */
  write(values: readonly (string | number | null)[]): Promise<void> | undefined;
  /** Flushes what is buffered and ends the COPY. */
  finish(): Promise<void>;
  /** Stops writing; what was written stays in the table, which the caller drops. */
  abort(): Promise<void>;
}

const CHUNK = 256 * 1024;

/**
 * Writes `text` as COPY text format (backslash, tab, newline and carriage return escaped) in UTF-8 at `at`;
 * returns where it ended. One pass in JS: a native encode call and an escape test per field cost three
 * to four times as much, and the rows of a load go through here. Lone surrogates become U+FFFD, as
 * Buffer#write makes them. Needs 3 bytes of room per UTF-16 code unit.
 */
function encodeField(buffer: Buffer, at: number, text: string): number {
  const n = text.length;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x80) {
      if (c === 92 || c === 9 || c === 10 || c === 13) {
        buffer[at++] = 92;
        buffer[at++] = c === 92 ? 92 : c === 9 ? 116 : c === 10 ? 110 : 114;
      } else buffer[at++] = c;
    } else if (c < 0x800) {
      buffer[at++] = 0xc0 | (c >> 6);
      buffer[at++] = 0x80 | (c & 63);
    } else if (c < 0xd800 || c > 0xdfff) {
      buffer[at++] = 0xe0 | (c >> 12);
      buffer[at++] = 0x80 | ((c >> 6) & 63);
      buffer[at++] = 0x80 | (c & 63);
    } else {
      const next = k + 1 < n ? text.charCodeAt(k + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const point = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        k++;
        buffer[at++] = 0xf0 | (point >> 18);
        buffer[at++] = 0x80 | ((point >> 12) & 63);
        buffer[at++] = 0x80 | ((point >> 6) & 63);
        buffer[at++] = 0x80 | (point & 63);
      } else {
        buffer[at++] = 0xef;
        buffer[at++] = 0xbf;
        buffer[at++] = 0xbd;
      }
    }
  }
  return at;
}

/** COPY text rows (\N for NULL, tab between columns), encoded straight into buffers of about CHUNK bytes. */
class CopyEncoder {
  #buffer: Buffer<ArrayBuffer> = Buffer.allocUnsafe(CHUNK);
  #at = 0;
  #full: Buffer<ArrayBuffer>[] = [];
  /** Bytes in the full buffers. */
  bytes = 0;

  /** Makes room for `chars` UTF-16 code units (at most 3 bytes each, escaped or in UTF-8). */
  #room(chars: number): void {
    if (this.#at + chars * 3 <= this.#buffer.length) return;
    this.#cut();
    // A cell larger than a chunk gets a buffer of its own size.
    if (chars * 3 > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(chars * 3);
  }

  #cut(): void {
    if (this.#at === 0) return;
    this.#full.push(this.#buffer.subarray(0, this.#at));
    this.bytes += this.#at;
    this.#buffer = Buffer.allocUnsafe(CHUNK);
    this.#at = 0;
  }

  row(values: readonly (string | number | null)[]): void {
    for (let i = 0; i < values.length; i++) {
      const value = values[i] ?? null;
      if (typeof value === 'number' && value >= 0 && Number.isSafeInteger(value)) {
        this.#count(value, i > 0);
        continue;
      }
      const text = value === null ? '' : typeof value === 'number' ? String(value) : value;
      this.#room(text.length + 2);
      const buffer = this.#buffer;
      let at = this.#at;
      if (i > 0) buffer[at++] = 9;
      if (value === null) {
        buffer[at++] = 92;
        buffer[at++] = 78;
      } else at = encodeField(buffer, at, text);
      this.#at = at;
    }
    this.#room(1);
    this.#buffer[this.#at++] = 10;
  }

  /** A row number or count, its digits written straight into the buffer: no string is made for it. */
  #count(value: number, tab: boolean): void {
    this.#room(18);
    const buffer = this.#buffer;
    let at = this.#at;
    if (tab) buffer[at++] = 9;
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    at += digits;
    this.#at = at;
    let rest = value;
    for (let k = 1; k <= digits; k++) {
      buffer[at - k] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
  }

  /** The full buffers, taken out; with `all`, the one being filled too. */
  take(all: boolean): Buffer<ArrayBuffer>[] {
    if (all) this.#cut();
    const out = this.#full;
    this.#full = [];
    this.bytes = 0;
    return out;
  }
}

export async function createBulkWriter(db: Db, qualifiedTable: string): Promise<BulkWriter> {
  if (db.pool !== undefined) return postgresWriter(db, qualifiedTable);
  return pgliteWriter(db, qualifiedTable);
}

async function postgresWriter(db: Db, table: string): Promise<BulkWriter> {
  const client = await db.pool!.connect();
  const stream: Writable = client.query(copyFrom(`COPY ${table} FROM STDIN`));
  let failure: Error | undefined;
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', (error: Error) => {
      failure = error;
      reject(error);
    });
  });
  // The rejection is read by finish(); this keeps it from counting as unhandled meanwhile.
  done.catch(() => undefined);
  const encoder = new CopyEncoder();
  let released = false;
  function release(error?: Error) {
    if (released) return;
    released = true;
    client.release(error);
  }
  function push(all: boolean): Promise<void> | undefined {
    if (failure !== undefined) throw failure;
    let ok = true;
    for (const buffer of encoder.take(all)) ok = stream.write(buffer);
    if (ok) return undefined;
    return new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        stream.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        stream.off('drain', onDrain);
        reject(error);
      };
      stream.once('drain', onDrain);
      stream.once('error', onError);
    });
  }
  return {
    write(values) {
      encoder.row(values);
      return encoder.bytes > 0 ? push(false) : undefined;
    },
    async finish() {
      try {
        await push(true);
        stream.end();
        await done;
        release();
      } catch (error) {
        release(error as Error);
        throw error;
      }
    },
    async abort() {
      // Destroying the stream fails the COPY; the connection is discarded rather than reused mid-protocol.
      stream.destroy(new Error('load stopped'));
      await done.catch(() => undefined);
      release(new Error('load stopped'));
    },
  };
}

const PGLITE_BATCH = 8 * 1024 * 1024;

function pgliteWriter(db: Db, table: string): BulkWriter {
  const pglite = db.pglite!;
  let encoder = new CopyEncoder();
  let parts: Buffer<ArrayBuffer>[] = [];
  let size = 0;
  async function flush(): Promise<void> {
    parts.push(...encoder.take(true));
    if (parts.length === 0) return;
    const blob = new Blob(parts);
    parts = [];
    size = 0;
    // Holding Kysely's connection keeps other callers' transactions from interleaving with the COPY.
    await db.kysely.connection().execute(async (connection) => {
      await sql`SELECT 1`.execute(connection);
      await pglite.query(`COPY ${table} FROM '/dev/blob'`, [], { blob });
    });
  }
  return {
    write(values) {
      encoder.row(values);
      if (encoder.bytes === 0) return undefined;
      size += encoder.bytes;
      parts.push(...encoder.take(false));
      return size >= PGLITE_BATCH ? flush() : undefined;
    },
    finish: flush,
    async abort() {
      encoder = new CopyEncoder();
      parts = [];
      size = 0;
    },
  };
}
