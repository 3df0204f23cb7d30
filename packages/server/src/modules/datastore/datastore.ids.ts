import { randomBytes } from 'node:crypto';

/** A random id of lowercase letters and digits; it starts with a letter so that it is a plain SQL name too. */
export function newId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let id = alphabet[bytes[0]! % 26]!;
  for (let i = 1; i < length; i++) id += alphabet[bytes[i]! % alphabet.length]!;
  return id;
}
