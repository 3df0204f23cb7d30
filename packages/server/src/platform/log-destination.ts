import { closeSync, openSync, writeSync } from 'node:fs';

/** What pino writes to: its lines, one string each, and `logger.flush()`. */
export interface LogDestination {
  write(line: string): boolean;
  flush(callback?: (error?: Error) => void): void;
  /** Writes what is waiting, now. */
  flushSync(): void;
  /** Writes what is waiting and stops: the timer, and the file if this destination opened it. */
  end(): void;
}

/** A batch is written once it holds this many characters (64 KiB of ASCII). */
export const BATCH_CHARS = 65_536;
/** A quiet server's last lines (a warning, "database migrated") reach the file or terminal this soon. */
export const FLUSH_MS = 1000;
/** How long to wait before trying again when a non-blocking pipe is full. */
const FULL_PIPE_WAIT_MS = 10;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Where the platform's JSON lines go: standard output or `file` (appended to), in batches of up to 64 KiB
 * written in place, at least once a second, and when the process exits.
 *
 * Why not pino's own destination (sonic-boom): on the 2-core virtual machine this runs on, a system call is
 * dear (a 4 KiB write took about 80 µs under load), sonic-boom's batches must stay under its largest write (16 KiB
 * by default), and it measures its whole pending batch again on each line. Its asynchronous mode also sends each write through libuv's thread
 * pool. The access line cost the server about 32 µs per request that way, 13 µs written in place in 4 KiB
 * batches, and half that again in 64 KiB batches (ADR 0011).
 *
 * The writes are synchronous, as Node's own standard output is on Linux for files and pipes: a reader that
 * stops reading a pipe stalls the process. A failed write (a full disk) drops that batch and says so once on
 * standard error; a closed pipe ends logging, as pino does.
 */
export function logDestination(file?: string): LogDestination {
  const fd = file === undefined ? 1 : openSync(file, 'a');
  let pending = '';
  let ended = false;
  let reported = false;

  function writeAll(text: string): void {
    const bytes = Buffer.from(text);
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(fd, bytes, offset);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(pause, 0, 0, FULL_PIPE_WAIT_MS);
          continue;
        }
        if (code === 'EPIPE') ended = true;
        else if (!reported) {
          reported = true;
          try {
            writeSync(
              2,
              `datapolis: log lines could not be written (${code ?? String(error)}); dropping them\n`,
            );
          } catch {
            // Standard error is gone too: nothing more to say.
          }
        }
        return;
      }
    }
  }

  function flushSync(): void {
    if (pending === '' || ended) return;
    const text = pending;
    pending = '';
    writeAll(text);
  }

  const destination: LogDestination = {
    write(line) {
      if (ended) return true;
      pending += line;
      if (pending.length >= BATCH_CHARS) flushSync();
      return true;
    },
    flush(callback) {
      flushSync();
      callback?.();
    },
    flushSync,
    end() {
      flushSync();
      ended = true;
      open.delete(destination);
      if (file !== undefined) closeSync(fd);
    },
  };
  flushRegularly(destination);
  return destination;
}

// One timer and one exit listener for every destination still open (tests make many loggers).
const open = new Set<LogDestination>();
let started = false;

function flushRegularly(destination: LogDestination): void {
  open.add(destination);
  if (started) return;
  started = true;
  const flushAll = () => {
    for (const each of open) each.flushSync();
  };
  setInterval(flushAll, FLUSH_MS).unref();
  process.once('exit', flushAll);
}
