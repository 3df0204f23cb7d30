import { PassThrough, type Readable } from 'node:stream';
import { PayloadTooLargeError } from '../../kernel/errors.ts';
import type { IncomingBytes } from './datastore.model.ts';

const BRANCH_BUFFER = 1024 * 1024;

/** Resolves when `stream` can take more, or is gone. */
function drained(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

/**
 * One pass over an upload for two readers: the blob store, which keeps and hashes the file, and the loader,
 * which validates it and writes its rows. Read once, the file is loaded while it is being stored instead of
 * after. The upload moves at the pace of the slower reader. A loader that stops early (a file it cannot
 * read) is left behind, and the store still gets the whole file, as a separate upload would; past
 * `maxBytes` the loader is stopped and the store refuses the file. If storing fails, the loader fails too.
 */
export function splitUpload(
  body: Readable,
  maxBytes: number,
): { toStore: Readable; toLoader: IncomingBytes } {
  const toStore = new PassThrough({ highWaterMark: BRANCH_BUFFER });
  const loader = new PassThrough({ highWaterMark: BRANCH_BUFFER });
  // A failure reaches each reader through its stream (the store's pipeline, the loader's iteration); these
  // keep it from being thrown at nobody while a reader is not listening yet.
  toStore.on('error', () => undefined);
  loader.on('error', () => undefined);
  let loaderOpen = true;
  function leaveLoader(error?: Error): void {
    if (!loaderOpen) return;
    loaderOpen = false;
    loader.destroy(error);
  }
  async function pump(): Promise<void> {
    let received = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > maxBytes)
          leaveLoader(new PayloadTooLargeError(`The file is larger than the ${maxBytes} bytes accepted.`));
        const waits: Promise<void>[] = [];
        if (!toStore.destroyed && !toStore.write(chunk)) waits.push(drained(toStore));
        if (loaderOpen && !loader.write(chunk)) waits.push(drained(loader));
        if (waits.length > 0) await Promise.all(waits);
        if (toStore.destroyed) {
          leaveLoader(new Error('the upload could not be stored'));
          return;
        }
      }
      toStore.end();
      if (loaderOpen) loader.end();
    } catch (error) {
      toStore.destroy(error as Error);
      leaveLoader(error as Error);
    }
  }
  void pump();
  return { toStore, toLoader: { chunks: loader, close: () => leaveLoader() } };
}
