// The thread behind `sha256OffThread`: one SHA-256 per session id, fed batches of bytes, answered with the
// hex digest at the end. Node built-ins only: it runs as plain JavaScript after type stripping.
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

interface Message {
  id: number;
  bytes?: Uint8Array;
  end?: boolean;
  abort?: boolean;
}

const sessions = new Map<number, Hash>();

parentPort?.on('message', (message: Message) => {
  if (message.abort === true) {
    sessions.delete(message.id);
    return;
  }
  let hash = sessions.get(message.id);
  if (hash === undefined) {
    hash = createHash('sha256');
    sessions.set(message.id, hash);
  }
  if (message.bytes !== undefined) hash.update(message.bytes);
  if (message.end === true) {
    sessions.delete(message.id);
    parentPort?.postMessage({ id: message.id, digest: hash.digest('hex') });
  }
});
