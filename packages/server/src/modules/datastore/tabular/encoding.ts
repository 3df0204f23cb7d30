import { isUtf8 } from 'node:buffer';
import { ReadError } from './errors.ts';

/** The canonical WHATWG name for an encoding label (`latin1` → windows-1252, `GBK` → gbk). */
export function canonicalEncoding(label: string): string {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    throw new ReadError('encoding-error', `the encoding "${label}" is not supported`);
  }
}

export function isUtf16(encoding: string): boolean {
  return encoding === 'utf-16le' || encoding === 'utf-16be';
}

export function bomEncoding(sample: Buffer): string | undefined {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte. */
function sniffUtf16(sample: Buffer): string | undefined {
  const pairs = Math.min(sample.length >> 1, 4096);
  if (pairs < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) evenNul++;
    if (sample[2 * i + 1] === 0) oddNul++;
  }
  if (oddNul > pairs * 0.7 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.7 && oddNul < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** Where a buffer's last character is cut short (its length when it ends on a character boundary). */
export function utf8Boundary(buf: Buffer): number {
  let i = buf.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && ((buf[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return buf.length;
  const lead = buf[i] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > 1 && buf.length - i < need ? i : buf.length;
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x3000 && code <= 0x303f) ||
    (code >= 0xff00 && code <= 0xffef) ||
    (code >= 0xf900 && code <= 0xfaff)
  );
}

/** Whether the sample reads as GB18030 text with a good share of Chinese characters. */
function looksGb18030(sample: Buffer): boolean {
  const text = new TextDecoder('gb18030').decode(sample, { stream: true });
  let nonAscii = 0;
  let cjk = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code === 0xfffd) return false;
    nonAscii++;
    if (isCjk(code)) cjk++;
  }
  return nonAscii > 0 && cjk >= nonAscii * 0.6;
}

/**
 * Detects a text encoding from the first bytes: a BOM, then UTF-8 when the bytes are valid UTF-8, then
 * GB18030 when they read as Chinese, else windows-1252 (which decodes any byte).
 */
export function detectEncoding(sample: Buffer, complete: boolean): string {
  const bom = bomEncoding(sample);
  if (bom !== undefined) return bom;
  const utf16 = sniffUtf16(sample);
  if (utf16 !== undefined) return utf16;
  const checked = complete ? sample : sample.subarray(0, utf8Boundary(sample));
  if (isUtf8(checked)) return 'utf-8';
  if (looksGb18030(sample)) return 'gb18030';
  return 'windows-1252';
}

/** NUL bytes do not occur in text (other than UTF-16): such a file is binary. */
export function looksBinary(sample: Buffer, encoding: string | undefined): boolean {
  if (encoding !== undefined && isUtf16(encoding)) return false;
  if (bomEncoding(sample)?.startsWith('utf-16')) return false;
  if (encoding === undefined && sniffUtf16(sample) !== undefined) return false;
  return sample.indexOf(0) >= 0;
}

/** The first byte that breaks UTF-8, with the reason Python gives for it. */
function utf8Fault(buf: Buffer, atEnd: boolean): { index: number; reason: string } | undefined {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return { index: i, reason: 'invalid start byte' };
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return atEnd ? { index: i, reason: 'unexpected end of data' } : undefined;
      const c = buf[i + k] ?? 0;
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c < lo || c > hi) return { index: i, reason: 'invalid continuation byte' };
    }
    i += need + 1;
  }
  return undefined;
}

function utf8Error(buf: Buffer, offset: number, atEnd: boolean): ReadError {
  const fault = utf8Fault(buf, atEnd) ?? { index: 0, reason: 'invalid data' };
  const byte = (buf[fault.index] ?? 0).toString(16).padStart(2, '0');
  return new ReadError(
    'encoding-error',
    `the file is not valid utf-8: byte 0x${byte} at offset ${offset + fault.index} cannot be decoded (${fault.reason}); give the file's encoding (for example windows-1252 or gb18030)`,
  );
}

/**
 * Decodes a byte stream to text, chunk by chunk. UTF-8 is checked with the native validator and decoded
 * natively (the fast path); any other encoding goes through a fatal streaming TextDecoder. Bytes that do
 * not decode raise an encoding-error naming their offset.
 */
export async function* decodeText(chunks: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<string> {
  let offset = 0;
  if (encoding === 'utf-8') {
    let carry: Buffer | undefined;
    for await (const raw of chunks) {
      const buf = carry === undefined ? raw : Buffer.concat([carry, raw]);
      const cut = utf8Boundary(buf);
      const whole = cut === buf.length ? buf : buf.subarray(0, cut);
      carry = cut === buf.length ? undefined : buf.subarray(cut);
      if (!isUtf8(whole)) throw utf8Error(whole, offset, false);
      offset += whole.length;
      if (whole.length > 0) yield whole.toString('utf8');
    }
    if (carry !== undefined && carry.length > 0) throw utf8Error(carry, offset, true);
    return;
  }
  const decoder = new TextDecoder(encoding, { fatal: true });
  for await (const raw of chunks) {
    let text: string;
    try {
      text = decoder.decode(raw, { stream: true });
    } catch {
      throw new ReadError(
        'encoding-error',
        `the file is not valid ${encoding}: the bytes between offsets ${offset} and ${offset + raw.length} cannot be decoded`,
      );
    }
    offset += raw.length;
    if (text.length > 0) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw new ReadError(
      'encoding-error',
      `the file is not valid ${encoding}: it ends in the middle of a character`,
    );
  }
  if (rest.length > 0) yield rest;
}

/** Decodes a sample for sniffing, tolerating a character cut at its end and dropping a BOM. */
export function decodeSample(sample: Buffer, encoding: string): string {
  return new TextDecoder(encoding).decode(sample, { stream: true });
}
