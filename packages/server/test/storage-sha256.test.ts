import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalBlobStore } from '../src/kernel/storage/index.ts';
import { sha256OffThread } from '../src/kernel/storage/sha256-off-thread.ts';

const dir = mkdtempSync(join(tmpdir(), 'datapolis-sha256-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function reference(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('SHA-256 on the hashing thread', () => {
  it('gives the same digest as node:crypto whatever the chunks, across batch boundaries', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 12_345);
    for (const size of [1, 4096, 65_536, 1024 * 1024, 1024 * 1024 + 1, data.length]) {
      const hash = sha256OffThread();
      for (let at = 0; at < data.length; at += size) hash.update(data.subarray(at, at + size));
      expect(await hash.digest(), `chunks of ${size}`).toBe(reference(data));
    }
  });

  it('keeps concurrent hashes apart, and hashes nothing as the empty input', async () => {
    const inputs = Array.from({ length: 8 }, (_, i) => randomBytes(100_000 * (i + 1)));
    const hashes = inputs.map(() => sha256OffThread());
    for (let at = 0; at < 800_000; at += 50_000)
      inputs.forEach((input, i) => hashes[i]!.update(input.subarray(at, at + 50_000)));
    const digests = await Promise.all(hashes.map((h) => h.digest()));
    expect(digests).toEqual(inputs.map(reference));
    expect(await sha256OffThread().digest()).toBe(reference(Buffer.alloc(0)));
  });

  it('refuses a second digest, and an aborted hash leaves the others whole', async () => {
    const hash = sha256OffThread();
    hash.update(Buffer.from('abc'));
    await hash.digest();
    await expect(hash.digest()).rejects.toThrow(/already finished/);
    const dropped = sha256OffThread();
    const kept = sha256OffThread();
    dropped.update(Buffer.from('x'));
    kept.update(Buffer.from('y'));
    dropped.abort();
    expect(await kept.digest()).toBe(reference(Buffer.from('y')));
  });

  it('is what the blob store records for a stored file', async () => {
    const store = createLocalBlobStore(dir);
    const data = randomBytes(2_500_000);
    const chunks = Array.from({ length: 40 }, (_, i) => data.subarray(i * 62_500, (i + 1) * 62_500));
    const stored = await store.put(Readable.from(chunks), { maxBytes: 10_000_000 });
    expect(stored).toMatchObject({ bytes: data.length, sha256: reference(data) });
    expect(reference(readFileSync(await store.localPath(stored.key)))).toBe(stored.sha256);
  });
});
