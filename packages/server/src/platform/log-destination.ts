import pino from 'pino';

export type LogDestination = ReturnType<typeof pino.destination>;

/** Lines are written once this many bytes are waiting, or after FLUSH_MS, whichever comes first. */
const BUFFER_BYTES = 4096;
/** A quiet server's last lines (a warning, "database migrated") reach the file or terminal this soon. */
export const FLUSH_MS = 1000;

/**
 * Where the platform's JSON lines go: standard output or `file`, in 4 KiB writes (one system call for about
 * seventeen access lines), flushed at least every second and when the process exits.
 *
 * The writes are synchronous, as Node's own standard output is on Linux for files and pipes. With pino's
 * asynchronous writes, each 4 KiB write goes through libuv's thread pool: a hand-off to a worker thread and a
 * wake-up back. Measured on a 2-core virtual machine under load, that cost the server about 20 µs of CPU per
 * request more than writing in place (32 against 13 µs for the access line). The price: a consumer that stops
 * reading a pipe stalls the process, as it would with console.log.
 */
export function logDestination(file?: string): LogDestination {
  const destination = pino.destination({
    dest: file ?? 1,
    sync: true,
    minLength: BUFFER_BYTES,
    periodicFlush: FLUSH_MS,
  });
  flushAtExit(destination);
  return destination;
}

// pino flushes its asynchronous destinations at exit, not synchronous ones: this does it for ours. One exit
// listener for all of them, holding them weakly (tests make many loggers).
const open = new Set<WeakRef<LogDestination>>();
let listening = false;

function flushAtExit(destination: LogDestination): void {
  const ref = new WeakRef(destination);
  open.add(ref);
  destination.once('close', () => open.delete(ref));
  if (listening) return;
  listening = true;
  process.once('exit', () => {
    for (const each of open) {
      try {
        each.deref()?.flushSync();
      } catch {
        // A destination already closed, or a file gone: nothing more can be written at exit.
      }
    }
  });
}
