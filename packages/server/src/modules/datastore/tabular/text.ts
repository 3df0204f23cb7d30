import type { Compression, ReadLimits, ReadOptions } from '../datastore.model.ts';
import { type ByteSource, openByteSource, PeekableChunks } from './bytes.ts';
import { canonicalEncoding, decodeSample, decodeText, detectEncoding, looksBinary } from './encoding.ts';
import { ReadError } from './errors.ts';

export const SAMPLE_SIZE = 64 * 1024;

/** A text file opened for reading: its encoding settled, a decoded sample to sniff, and UTF-8 chunks. */
export interface TextInput {
  bytes: ByteSource;
  encoding: string;
  sampleText: string;
  /** The decoded text in chunks; single use. */
  text: AsyncGenerator<string>;
}

export async function openText(
  path: string,
  options: ReadOptions,
  limits: ReadLimits,
  compression: Compression,
  label: string,
): Promise<TextInput> {
  const given = options.encoding === undefined ? undefined : canonicalEncoding(options.encoding);
  const bytes = await openByteSource(path, compression, limits, options.incoming);
  try {
    const chunks = new PeekableChunks(bytes.chunks);
    const { sample, complete } = await chunks.peek(SAMPLE_SIZE);
    if (sample.length === 0) throw new ReadError('source-error', 'the source is empty');
    if (looksBinary(sample, given))
      throw new ReadError('format-error', `the file looks binary, not ${label} text`);
    const encoding = given ?? detectEncoding(sample, complete);
    let sampleText = decodeSample(sample, encoding);
    if (sampleText.charCodeAt(0) === 0xfeff) sampleText = sampleText.slice(1);
    return { bytes, encoding, sampleText, text: decodeText(chunks, encoding) };
  } catch (error) {
    await bytes.close();
    throw error;
  }
}
