import { Worker } from 'node:worker_threads';

/**
 * SHA-256 of a stream of chunks, computed on a worker thread: hashing a large upload costs about a
 * millisecond per megabyte, which the event loop (serving requests, or validating the rows of the same
 * file while it arrives) no longer pays. Chunks are gathered into batches of BATCH bytes, handed over
 * without a copy; one worker serves the whole process, and keeps it alive only while a hash is open.
 */
export interface StreamHash {
  update(chunk: Buffer): void;
  /** The hex digest of everything given to `update`. */
  digest(): Promise<string>;
  /** Forgets the hash (a failed upload). */
  abort(): void;
}

const BATCH = 1024 * 1024;

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve(digest: string): void; reject(error: Error): void }>();
let open = 0;

function sharedWorker(): Worker {
  if (worker !== undefined) return worker;
  const started = new Worker(new URL('./sha256-worker.ts', import.meta.url));
  started.unref();
  started.on('message', (message: { id: number; digest: string }) => {
    waiting.get(message.id)?.resolve(message.digest);
    waiting.delete(message.id);
  });
  const fail = (error: Error) => {
    if (worker === started) worker = undefined;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`the hashing thread stopped (exit code ${code})`)));
  worker = started;
  return started;
}

/** An open hash keeps the worker referenced, so that a process waiting for a digest does not exit. */
function opened(): void {
  if (open++ === 0) worker?.ref();
}

function closed(): void {
  if (--open === 0) worker?.unref();
}

export function sha256OffThread(): StreamHash {
  const thread = sharedWorker();
  const id = nextId++;
  opened();
  let batch = Buffer.allocUnsafeSlow(BATCH);
  let filled = 0;
  let done = false;
  function send(end: boolean): void {
    const bytes = filled === 0 ? undefined : batch.subarray(0, filled);
    // The batch's memory moves to the worker; a fresh one takes its place.
    thread.postMessage({ id, bytes, end }, bytes === undefined ? [] : [bytes.buffer as ArrayBuffer]);
    if (!end) batch = Buffer.allocUnsafeSlow(BATCH);
    filled = 0;
  }
  return {
    update(chunk) {
      let from = 0;
      while (from < chunk.length) {
        const taken = chunk.copy(batch, filled, from);
        filled += taken;
        from += taken;
        if (filled === BATCH) send(false);
      }
    },
    digest() {
      if (done) return Promise.reject(new Error('the hash is already finished'));
      done = true;
      if (worker !== thread) {
        closed();
        return Promise.reject(new Error('the hashing thread stopped'));
      }
      const result = new Promise<string>((resolve, reject) => waiting.set(id, { resolve, reject }));
      send(true);
      return result.finally(closed);
    },
    abort() {
      if (done) return;
      done = true;
      thread.postMessage({ id, abort: true });
      closed();
    },
  };
}
