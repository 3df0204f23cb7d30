/**
 * Validators for the identifiers the scanner recognises. Each takes one trimmed value and answers without
 * allocating: a character loop does the cheap checks (length, first character, character class) before
 * any regular expression runs, because a scan calls them for millions of cells.
 */
import { isIP } from 'node:net';
import { isValidCreditCode } from '../../../lib/credit-code.ts';

const D0 = 48;
const D9 = 57;

function isDigit(c: number): boolean {
  return c >= D0 && c <= D9;
}

// --- resident identity number (GB 11643-1999) -------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/**
 * First two digits: the province-level divisions of GB/T 2260, plus 71 (Taiwan), 81/82 (Hong Kong,
 * Macao residence permits) and 83 (Taiwan residence permits).
 */
const PROVINCES = new Uint8Array(100);
for (const code of [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
])
  PROVINCES[code] = 1;
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Today's date as the number YYYYMMDD, refreshed at most once a minute (birth dates may not be in the future).
let today = 0;
let todayAt = Number.NEGATIVE_INFINITY;
function todayNumber(): number {
  const now = Date.now();
  if (now - todayAt > 60_000) {
    const d = new Date(now);
    today = d.getFullYear() * 10_000 + (d.getMonth() + 1) * 100 + d.getDate();
    todayAt = now;
  }
  return today;
}

/** A calendar date given as digits: real month and day (29 February only in leap years), 1900 to today. */
export function isPlausibleBirthDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month]!) return false;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return false;
  return year * 10_000 + month * 100 + day <= todayNumber();
}

/**
 * An 18-character resident identity number: 6-digit region code with a real province, birth date
 * YYYYMMDD that exists and is not in the future, 3-digit sequence, and the ISO 7064 MOD 11-2 check
 * character (0-9 or X).
 */
export function isResidentId(s: string): boolean {
  if (s.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return false;
    sum += (c - D0) * ID_WEIGHTS[i]!;
  }
  const last = s.charCodeAt(17);
  const expected = ID_CHECK.charCodeAt(sum % 11);
  // Lower-case x is a common typing of X.
  if (last !== expected && !(expected === 88 && last === 120)) return false;
  if (PROVINCES[digits(s, 0, 2)] !== 1) return false;
  return isPlausibleBirthDate(digits(s, 6, 10), digits(s, 10, 12), digits(s, 12, 14));
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - D0);
  return n;
}

// --- unified social credit code (GB 32100-2015) -------------------------------------------------------

/** 18 characters whose first is a registration authority (1-9, A, N, Y) and whose check character is right. */
export function isCreditCode(s: string): boolean {
  if (s.length !== 18) return false;
  const c = s.charCodeAt(0);
  if (!(isDigit(c) && c !== D0) && c !== 65 && c !== 78 && c !== 89) return false;
  return isValidCreditCode(s);
}

// --- bank card (ISO/IEC 7812) ----------------------------------------------------------------------------

/**
 * Digits 2-6 and 9 begin the card numbers in use: 2 and 5 (Mastercard), 3 (American Express, JCB, Diners),
 * 4 (Visa), 6 (UnionPay 62, Discover), 9 (older domestic debit cards of Chinese banks, 95/96).
 */
function plausibleIssuer(first: number, second: number): boolean {
  switch (first) {
    case 2:
      return second >= 2 && second <= 7;
    case 3:
      return second === 0 || (second >= 4 && second <= 8);
    case 4:
    case 5:
    case 6:
      return true;
    case 9:
      return second === 5 || second === 6;
    default:
      return false;
  }
}

/**
 * 13 to 19 digits (single spaces or dashes between groups are allowed), a plausible issuer prefix and a
 * valid Luhn check digit.
 */
export function isBankCard(s: string): boolean {
  const n = s.length;
  if (n < 13 || n > 23) return false;
  let count = 0;
  let sum = 0;
  let first = -1;
  let second = -1;
  let prevSeparator = true;
  // Luhn from the right: every second digit doubled.
  for (let i = n - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      let d = c - D0;
      if (count % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      count++;
      second = first;
      first = c - D0;
      prevSeparator = false;
    } else if ((c === 32 || c === 45) && !prevSeparator && i > 0) {
      prevSeparator = true;
    } else return false;
  }
  if (count < 13 || count > 19 || sum % 10 !== 0) return false;
  return plausibleIssuer(first, second);
}

// --- mainland mobile number -----------------------------------------------------------------------------

/** Three-digit prefixes of mainland mobile numbers (13x, 145-149, 15x but 154, 16[2567], 17[0-8], 18x, 19x but 194). */
const MOBILE_PREFIX = new Uint8Array(200);
for (let p = 130; p <= 199; p++) MOBILE_PREFIX[p] = 1;
for (const p of [140, 141, 142, 143, 144, 154, 160, 161, 163, 164, 168, 169, 179, 194]) MOBILE_PREFIX[p] = 0;

/**
 * Returns 0 when `s` is not a mainland mobile number, 1 for a bare 11-digit number and 2 when it carries
 * the +86 / 0086 country code. Spaces and dashes between digit groups are allowed.
 */
export function mobileKind(s: string): 0 | 1 | 2 {
  const n = s.length;
  if (n < 11 || n > 20) return 0;
  let i = 0;
  let kind: 1 | 2 = 1;
  const c0 = s.charCodeAt(0);
  if (c0 === 43) {
    // +86
    if (s.charCodeAt(1) !== 56 || s.charCodeAt(2) !== 54) return 0;
    i = 3;
    kind = 2;
  } else if (c0 === D0) {
    // 0086
    if (s.charCodeAt(1) !== D0 || s.charCodeAt(2) !== 56 || s.charCodeAt(3) !== 54) return 0;
    i = 4;
    kind = 2;
  } else if (c0 !== 49) return 0;
  let count = 0;
  let prefix = 0;
  let prevSeparator = false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      if (count < 3) prefix = prefix * 10 + (c - D0);
      count++;
      if (count > 11) return 0;
      prevSeparator = false;
    } else if ((c === 32 || c === 45) && !prevSeparator) prevSeparator = true;
    else return 0;
  }
  if (prevSeparator || count !== 11 || prefix < 130 || MOBILE_PREFIX[prefix] !== 1) return 0;
  return kind;
}

export function isMobile(s: string): boolean {
  return mobileKind(s) !== 0;
}

// --- e-mail ------------------------------------------------------------------------------------------------

const EMAIL =
  /^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$/;

export function isEmail(s: string): boolean {
  const n = s.length;
  if (n < 6 || n > 254) return false;
  const at = s.indexOf('@');
  if (at < 1 || at > 64 || at > n - 5) return false;
  return EMAIL.test(s);
}

// --- passport ------------------------------------------------------------------------------------------------

/**
 * How much a value looks like a passport number: 2 for the PRC's ordinary passports (E or G and 8 digits,
 * or E, a letter other than I and O, and 7 digits), 1 for the PRC's diplomatic, service and public-affairs
 * passports (D, S, P with 7 or 8 digits, SE, DE, PE), 0.5 for the common national pattern of one or two
 * letters and 7 or 8 digits, 0 otherwise.
 */
export function passportKind(s: string): number {
  const n = s.length;
  if (n < 8 || n > 10) return 0;
  const c0 = s.charCodeAt(0);
  if (c0 < 65 || c0 > 90) return 0;
  let letters = 1;
  while (letters < n) {
    const c = s.charCodeAt(letters);
    if (c < 65 || c > 90) break;
    letters++;
  }
  if (letters > 2) return 0;
  for (let i = letters; i < n; i++) if (!isDigit(s.charCodeAt(i))) return 0;
  const numbers = n - letters;
  if (numbers < 7 || numbers > 8) return 0;
  const c1 = letters === 2 ? s.charCodeAt(1) : 0;
  if (letters === 1 && numbers === 8 && (c0 === 69 || c0 === 71)) return 2;
  if (letters === 2 && numbers === 7 && c0 === 69 && c1 !== 73 && c1 !== 79) return 2;
  if (letters === 1 && (c0 === 68 || c0 === 83 || c0 === 80)) return 1;
  if (letters === 2 && c1 === 69 && (c0 === 68 || c0 === 83 || c0 === 80)) return 1;
  return 0.5;
}

// --- vehicle plate (GA 36-2018) ------------------------------------------------------------------------------

/** Province-level abbreviations that begin a plate, and 使/领 for embassies and consulates. */
export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领';
const PLATE_FIRST = new Set(Array.from(PLATE_PROVINCES, (c) => c.charCodeAt(0)));
// Seven-character plates (with a trailing 挂/学/警/港/澳 for trailers, driving schools, police, HK, Macao)
// and eight-character new-energy plates (D/F for battery/hybrid, first or last of the six).
const PLATE =
  /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z][·• ]?(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]|[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF])$/;

export function isVehiclePlate(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 9) return false;
  const c1 = s.charCodeAt(1);
  if (c1 < 65 || c1 > 90) return false;
  if (!PLATE_FIRST.has(s.charCodeAt(0))) return false;
  return PLATE.test(s);
}

// --- IP addresses ---------------------------------------------------------------------------------------------

export function isIpv4(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15 || !isDigit(s.charCodeAt(0)) || !isDigit(s.charCodeAt(n - 1))) return false;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) dots++;
    else if (!isDigit(c)) return false;
  }
  return dots === 3 && isIP(s) === 4;
}

export function isIpv6(s: string): boolean {
  const n = s.length;
  if (n < 2 || n > 45) return false;
  let colons = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) colons++;
    else if (!(isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 46)) return false;
  }
  return colons >= 2 && isIP(s) === 6;
}

// --- coordinates ---------------------------------------------------------------------------------------------

// Results of the last readDecimal call (module-level so that parsing allocates nothing).
let parsedValue = 0;
let parsedDecimals = 0;

/** Reads a decimal number at `from`; returns the index after it, or -1. Sets parsedValue/parsedDecimals. */
function readDecimal(s: string, from: number): number {
  const n = s.length;
  let i = from;
  let negative = false;
  if (i < n && (s.charCodeAt(i) === 45 || s.charCodeAt(i) === 43)) {
    negative = s.charCodeAt(i) === 45;
    i++;
  }
  let value = 0;
  let intDigits = 0;
  while (i < n && isDigit(s.charCodeAt(i)) && intDigits < 4) {
    value = value * 10 + (s.charCodeAt(i) - D0);
    i++;
    intDigits++;
  }
  if (intDigits === 0 || intDigits > 3) return -1;
  let decimals = 0;
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    let scale = 0.1;
    while (i < n && isDigit(s.charCodeAt(i))) {
      value += (s.charCodeAt(i) - D0) * scale;
      scale /= 10;
      i++;
      decimals++;
    }
    if (decimals === 0) return -1;
  }
  parsedValue = negative ? -value : value;
  parsedDecimals = decimals;
  return i;
}

/** Precision that locates a person: four decimals of a degree are about 11 m. */
export const PRECISE_DECIMALS = 4;

/**
 * A latitude/longitude pair in one value ("39.9042,116.4074", "39.9042, 116.4074", "(116.4074 39.9042)",
 * either order) with at least four decimals each and values in range.
 */
export function isCoordinatePair(s: string): boolean {
  const n = s.length;
  if (n < 13 || n > 60) return false;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 40 || c0 === 91) i = 1;
  else if (!isDigit(c0) && c0 !== 45) return false;
  i = readDecimal(s, i);
  if (i < 0 || parsedDecimals < PRECISE_DECIMALS) return false;
  const a = parsedValue;
  let separators = 0;
  while (i < n && (s.charCodeAt(i) === 44 || s.charCodeAt(i) === 32)) {
    i++;
    separators++;
  }
  if (separators === 0 || separators > 2) return false;
  i = readDecimal(s, i);
  if (i < 0 || parsedDecimals < PRECISE_DECIMALS) return false;
  const b = parsedValue;
  if (i < n) {
    const c = s.charCodeAt(i);
    if (!((c === 41 && c0 === 40) || (c === 93 && c0 === 91)) || i !== n - 1) return false;
  } else if (c0 === 40 || c0 === 91) return false;
  const latLng = Math.abs(a) <= 90 && Math.abs(b) <= 180;
  const lngLat = Math.abs(b) <= 90 && Math.abs(a) <= 180;
  return latLng || lngLat;
}

/** One coordinate with at least four decimals, within ±`limit` (90 for latitudes, 180 for longitudes). */
export function isPreciseDegree(s: string, limit: number): boolean {
  const n = s.length;
  if (n < 6 || n > 24) return false;
  const end = readDecimal(s, 0);
  return end === n && parsedDecimals >= PRECISE_DECIMALS && Math.abs(parsedValue) <= limit;
}
