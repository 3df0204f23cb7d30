/**
 * The column scanner: rows go in one at a time (from a file, a datastore table or a sample of either),
 * each non-empty value is offered to the recognisers that its length and first character allow, and the
 * result is a finding per recogniser and column with a proposal for the catalog's information item.
 */
import type { Grade } from '../../catalog/index.ts';
import { addressKind, chineseNameKind, isHan } from './chinese-text.ts';
import type {
  ColumnScan,
  FieldProposal,
  RecognizerFinding,
  RecognizerId,
  ScanField,
  ScanOptions,
  ScanReport,
} from './discovery.model.ts';
import { maskValue } from './mask.ts';
import {
  type ColumnContext,
  columnContext,
  degreeLimit,
  hasContext,
  MIN_SCORE_WITH_CONTEXT,
  RECOGNIZERS,
} from './recognizers.ts';
import {
  isBankCard,
  isCoordinatePair,
  isCreditCode,
  isEmail,
  isIpv4,
  isIpv6,
  isPreciseDegree,
  isResidentId,
  isVehiclePlate,
  mobileKind,
  PRECISE_DECIMALS,
  passportKind,
} from './validators.ts';

// Recogniser indexes (the order of RECOGNIZERS).
const RESIDENT_ID = 0;
const CREDIT_CODE = 1;
const MOBILE = 2;
const EMAIL = 3;
const BANK_CARD = 4;
const PASSPORT = 5;
const PLATE = 6;
const IPV4 = 7;
const IPV6 = 8;
const COORDINATES = 9;
const PERSON_NAME = 10;
const ADDRESS = 11;
const COUNT = RECOGNIZERS.length;

/**
 * Per-value scores: the pattern's base score, raised where a checksum or a stricter form validates
 * (values whose checksum fails are not matches at all, as in Presidio).
 */
const SCORE = {
  residentId: 0.5 + 0.45, // pattern, raised by the MOD 11-2 check character and a real birth date
  creditCode: 0.5 + 0.4, // pattern, raised by the MOD 31 check character
  bankCard: 0.3 + 0.3, // digits and issuer prefix, raised by the Luhn digit (1 in 10 random numbers pass)
  mobile: 0.6, // 11 digits with an operator prefix: other 11-digit numbers collide
  mobileWithCountryCode: 0.75,
  email: 0.85,
  passport: 0.25, // × passportKind: 0.5 PRC ordinary, 0.25 PRC official, 0.125 generic pattern
  plate: 0.75,
  ipv4: 0.3 + 0.3, // dotted quad, raised when every octet is valid; version numbers still collide
  ipv6: 0.8,
  coordinatePair: 0.6,
  degree: 0.5, // a single latitude or longitude, only in a column named so
  name: 0.2, // 2-4 Han characters after a known surname: weak without the column's context
  compoundName: 0.3,
  address: 0.35,
  numberedAddress: 0.55,
} as const;

/** A finding with at least this confidence says what the column holds. */
export const HOLD_CONFIDENCE = 0.5;
/** Findings below this confidence are left out unless their values score as strong identifiers. */
const MIN_REPORTED_CONFIDENCE = 0.1;
/** A per-value score this high (a validated identifier, or a pattern with context) is worth reporting at any share. */
const STRONG_SCORE = 0.85;
/** Strong identifiers in at least this share of a column make its proposal, even when they do not hold it. */
const STRONG_SHARE = 0.01;

/**
 * Grade proposed per personal-information category. The mapping chosen: GB/T 43697-2024 grades general
 * data by the harm its leak does; leaking sensitive personal information seriously harms individual rights
 * (general level 4, the highest of the general levels), ordinary personal information harms them (level 3),
 * and data without personal information, including organisations' credit codes which are public by law,
 * starts at level 1. Whether a whole dataset is important data (scale, aggregation) is the dataset
 * grading's decision, not a column's.
 */
const GRADE_OF: Record<FieldProposal['personalInfo'], Grade> = {
  sensitive: 'general-4',
  personal: 'general-3',
  none: 'general-1',
};
const CATEGORY_RANK: Record<FieldProposal['personalInfo'], number> = { none: 0, personal: 1, sensitive: 2 };
const CATEGORY_TEXT: Record<FieldProposal['personalInfo'], string> = {
  sensitive: 'sensitive personal information (PIPL Art. 28)',
  personal: 'personal information (PIPL Art. 4)',
  none: 'not personal information',
};

interface ColumnState {
  field: ScanField;
  context: ColumnContext;
  /** Context boost per recogniser, 0 without context. */
  boost: Float64Array;
  /** 90/180 when the column holds single latitudes/longitudes, else 0. */
  degreeLimit: number;
  values: number;
  matches: Float64Array;
  scores: Float64Array;
  examples: string[][];
}

function newColumn(field: ScanField): ColumnState {
  const context = columnContext(field);
  const limit = degreeLimit(context);
  const boost = new Float64Array(COUNT);
  for (let r = 0; r < COUNT; r++) {
    const recognizer = RECOGNIZERS[r]!;
    if (hasContext(recognizer, context) || (r === COORDINATES && limit > 0)) boost[r] = recognizer.boost;
  }
  return {
    field,
    context,
    boost,
    degreeLimit: limit,
    values: 0,
    matches: new Float64Array(COUNT),
    scores: new Float64Array(COUNT),
    examples: Array.from({ length: COUNT }, () => []),
  };
}

function pct(share: number): string {
  return `${(share * 100).toFixed(share < 0.001 && share > 0 ? 3 : 1)} %`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

// Character classes of ASCII, one bit each: a value's classes together tell which recognisers to try.
const DIGIT = 1;
const UPPER = 2;
const LOWER = 4;
const DOT = 8;
const COLON = 16;
const SEPARATOR = 32; // space and dash
const PLUS = 64;
const AT = 128;
const COMMA = 256;
const BRACKET = 512;
const OTHER = 1024;
const ASCII_CLASS = new Uint16Array(128).fill(OTHER);
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = UPPER;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = LOWER;
ASCII_CLASS[46] = DOT;
ASCII_CLASS[58] = COLON;
ASCII_CLASS[32] = SEPARATOR;
ASCII_CLASS[45] = SEPARATOR;
ASCII_CLASS[43] = PLUS;
ASCII_CLASS[64] = AT;
ASCII_CLASS[44] = COMMA;
for (const c of '()[]') ASCII_CLASS[c.charCodeAt(0)] = BRACKET;

/**
 * A number with a non-zero fourth decimal or beyond, without turning it into text: 39.9042 × 1000 leaves
 * a fraction, 39.904 × 1000 leaves none (but for a rounding error far below 1e-6).
 */
function hasFourDecimals(value: number): boolean {
  const scaled = Math.abs(value) * 1000;
  return Math.abs(scaled - Math.round(scaled)) > 1e-6;
}

/** Decimals of a number as JavaScript writes it (12.3400 is 12.34: two). */
function decimalsOf(value: number): number {
  const text = String(value);
  const dot = text.indexOf('.');
  return dot < 0 || text.includes('e') ? 0 : text.length - dot - 1;
}

/** The first [x, y] position of a GeoJSON geometry, when it has at least four decimals in both. */
function isPreciseGeometry(value: object): boolean {
  let coordinates: unknown = (value as { coordinates?: unknown }).coordinates;
  for (let depth = 0; depth < 4 && Array.isArray(coordinates); depth++) {
    const [x, y] = coordinates as unknown[];
    if (typeof x === 'number' && typeof y === 'number')
      return decimalsOf(x) >= PRECISE_DECIMALS && decimalsOf(y) >= PRECISE_DECIMALS;
    coordinates = x;
  }
  return false;
}

export function createColumnScanner(
  fields: readonly ScanField[],
  options: ScanOptions = {},
): { add(row: readonly unknown[]): void; result(): ScanReport } {
  const maxExamples = Math.max(0, Math.floor(options.examples ?? 3));
  const columns = fields.map(newColumn);
  let rows = 0;

  function hit(column: ColumnState, r: number, score: number, value: string | number): void {
    column.matches[r]! += 1;
    column.scores[r]! += score;
    const examples = column.examples[r]!;
    if (examples.length < maxExamples) {
      const masked = maskValue(RECOGNIZERS[r]!.id, String(value));
      if (!examples.includes(masked)) examples.push(masked);
    }
  }

  /** Offers one trimmed, non-empty text to the recognisers its shape allows. */
  function recognize(column: ColumnState, s: string): void {
    const n = s.length;
    const c0 = s.charCodeAt(0);
    if (c0 < 128) {
      // Long ASCII text can only be an e-mail address (and rarely is).
      if (n > 64) {
        if (n <= 254 && s.indexOf('@') > 0 && isEmail(s)) hit(column, EMAIL, SCORE.email, s);
        return;
      }
      // One pass over the characters says which recognisers could match at all.
      let mask = 0;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        mask |= c < 128 ? ASCII_CLASS[c]! : OTHER;
      }
      if (mask & AT) {
        if (isEmail(s)) hit(column, EMAIL, SCORE.email, s);
        return;
      }
      if (mask & OTHER) return;
      const digit = c0 >= 48 && c0 <= 57;
      if ((mask & ~(DIGIT | UPPER | LOWER)) === 0) {
        if (n === 18) {
          const residentId = digit && isResidentId(s);
          if (residentId) hit(column, RESIDENT_ID, SCORE.residentId, s);
          else if ((mask & LOWER) === 0 && isCreditCode(s)) hit(column, CREDIT_CODE, SCORE.creditCode, s);
          if (residentId || mask !== DIGIT) return;
        } else if (mask === (DIGIT | UPPER) && n >= 8 && n <= 10) {
          const kind = passportKind(s);
          if (kind > 0) hit(column, PASSPORT, SCORE.passport * kind, s);
          return;
        }
      }
      if ((mask & ~(DIGIT | SEPARATOR | PLUS)) === 0) {
        if (n >= 11 && n <= 20) {
          const kind = mobileKind(s);
          if (kind !== 0) {
            hit(column, MOBILE, kind === 2 ? SCORE.mobileWithCountryCode : SCORE.mobile, s);
            return;
          }
        }
        if (digit && n >= 13 && n <= 23 && isBankCard(s)) hit(column, BANK_CARD, SCORE.bankCard, s);
        return;
      }
      if (mask === (DIGIT | DOT)) {
        if (isIpv4(s)) {
          hit(column, IPV4, SCORE.ipv4, s);
          return;
        }
        if (column.degreeLimit > 0 && isPreciseDegree(s, column.degreeLimit)) {
          hit(column, COORDINATES, SCORE.degree, s);
          return;
        }
      }
      if ((mask & ~(DIGIT | DOT | SEPARATOR | COMMA | BRACKET)) === 0 && (mask & DOT) !== 0) {
        if (isCoordinatePair(s)) hit(column, COORDINATES, SCORE.coordinatePair, s);
        else if (column.degreeLimit > 0 && isPreciseDegree(s, column.degreeLimit))
          hit(column, COORDINATES, SCORE.degree, s);
        return;
      }
      if ((mask & COLON) !== 0 && (mask & ~(DIGIT | UPPER | LOWER | COLON | DOT)) === 0 && isIpv6(s))
        hit(column, IPV6, SCORE.ipv6, s);
      return;
    }
    if (!isHan(c0)) return;
    if (n <= 4) {
      const kind = chineseNameKind(s);
      if (kind !== 0) hit(column, PERSON_NAME, kind === 2 ? SCORE.compoundName : SCORE.name, s);
      return;
    }
    if (n <= 9 && isVehiclePlate(s)) {
      hit(column, PLATE, SCORE.plate, s);
      return;
    }
    const address = addressKind(s);
    if (address !== 0) hit(column, ADDRESS, address === 2 ? SCORE.numberedAddress : SCORE.address, s);
  }

  function add(row: readonly unknown[]): void {
    rows++;
    const width = Math.min(row.length, columns.length);
    for (let j = 0; j < width; j++) {
      const value = row[j];
      if (value === null || value === undefined) continue;
      const column = columns[j]!;
      switch (typeof value) {
        case 'string': {
          // trim() returns the same string when there is nothing to trim: no copy in the common case.
          const s = value.trim();
          if (s.length === 0) continue;
          column.values++;
          recognize(column, s);
          break;
        }
        case 'number':
          if (!Number.isFinite(value)) continue;
          column.values++;
          // Only long integers can be identifiers (mobile numbers, as some exports type them), and only
          // numbers with four decimals or more in a latitude/longitude column are coordinates: the others
          // are not even turned into text.
          if (Number.isInteger(value)) {
            if (Math.abs(value) >= 1e10) recognize(column, String(value));
          } else if (
            column.degreeLimit > 0 &&
            Math.abs(value) <= column.degreeLimit &&
            hasFourDecimals(value)
          )
            hit(column, COORDINATES, SCORE.degree, value);
          break;
        case 'bigint':
          column.values++;
          recognize(column, String(value));
          break;
        case 'object':
          column.values++;
          if (value instanceof Date) break;
          if ('coordinates' in value && isPreciseGeometry(value)) {
            hit(
              column,
              COORDINATES,
              SCORE.coordinatePair,
              JSON.stringify((value as { coordinates: unknown }).coordinates),
            );
            break;
          }
          if (!Array.isArray(value) && !Buffer.isBuffer(value)) recognize(column, JSON.stringify(value));
          break;
        default:
          // booleans: a value, but never personal information
          column.values++;
      }
    }
  }

  function finding(column: ColumnState, r: number): { finding: RecognizerFinding; score: number } {
    const matches = column.matches[r]!;
    const share = matches / column.values;
    const mean = column.scores[r]! / matches;
    const boost = column.boost[r]!;
    const score = boost > 0 ? Math.max(MIN_SCORE_WITH_CONTEXT, Math.min(1, mean + boost)) : mean;
    // Confidence combines how strongly each value matched with how much of the column matches; the
    // square root lets a column with a few malformed values still be said to hold its identifiers.
    const confidence = score * Math.sqrt(share);
    return {
      finding: {
        recognizer: RECOGNIZERS[r]!.id,
        matches,
        share: round(share, 4),
        confidence: round(confidence, 3),
        examples: column.examples[r]!,
      },
      score,
    };
  }

  function proposal(
    column: ColumnState,
    findings: readonly { finding: RecognizerFinding; score: number }[],
    holds: RecognizerId | undefined,
  ): FieldProposal {
    const counted = findings.filter(
      ({ finding, score }) =>
        finding.recognizer === holds || (score >= STRONG_SCORE && finding.share >= STRONG_SHARE),
    );
    if (counted.length === 0) {
      const note =
        column.values === 0
          ? 'no values to scan'
          : `no personal information recognised in ${column.values.toLocaleString('en-US')} values`;
      return { personalInfo: 'none', grade: GRADE_OF.none, reason: `${note}: ${CATEGORY_TEXT.none}` };
    }
    let category: FieldProposal['personalInfo'] = 'none';
    const parts: string[] = [];
    for (const { finding } of counted) {
      const recognizer = RECOGNIZERS.find((r) => r.id === finding.recognizer)!;
      if (CATEGORY_RANK[recognizer.category] > CATEGORY_RANK[category]) category = recognizer.category;
      parts.push(
        `${pct(finding.share)} of ${column.values.toLocaleString('en-US')} values are ${recognizer.noun}`,
      );
    }
    return {
      personalInfo: category,
      grade: GRADE_OF[category],
      reason: `${parts.join('; ')}: ${CATEGORY_TEXT[category]}`,
    };
  }

  function result(): ScanReport {
    return {
      rowsScanned: rows,
      columns: columns.map((column): ColumnScan => {
        const found: { finding: RecognizerFinding; score: number }[] = [];
        for (let r = 0; r < COUNT; r++) {
          if (column.matches[r]! === 0) continue;
          const f = finding(column, r);
          if (f.finding.confidence >= MIN_REPORTED_CONFIDENCE || f.score >= STRONG_SCORE) found.push(f);
        }
        found.sort(
          (a, b) =>
            b.finding.confidence - a.finding.confidence ||
            b.finding.matches - a.finding.matches ||
            b.score - a.score,
        );
        const best = found[0]?.finding;
        const holds = best !== undefined && best.confidence >= HOLD_CONFIDENCE ? best.recognizer : undefined;
        const scan: ColumnScan = {
          name: column.field.name,
          valuesScanned: column.values,
          findings: found.map((f) => ({ ...f.finding, examples: [...f.finding.examples] })),
          proposal: proposal(column, found, holds),
        };
        if (holds !== undefined) scan.holds = holds;
        return scan;
      }),
    };
  }

  return { add, result };
}
