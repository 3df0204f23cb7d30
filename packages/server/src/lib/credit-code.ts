// Unified social credit code (GB 32100-2015): 18 characters from a 31-character alphabet without
// I, O, Z, S, V; the last one is a check character computed MOD 31 over the first 17.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckCharacter(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = ALPHABET.indexOf(first17[i]!);
    if (value < 0) return undefined;
    sum += value * WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return ALPHABET[check];
}

export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17];
}

/** Completes 17 characters with their check character (demo data, tests). */
export function withCreditCheck(first17: string): string {
  const check = creditCodeCheckCharacter(first17);
  if (check === undefined) throw new Error(`"${first17}" is not 17 valid credit-code characters.`);
  return first17 + check;
}
