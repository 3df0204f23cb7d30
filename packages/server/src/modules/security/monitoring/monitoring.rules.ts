import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { ValidationError } from '../../../kernel/errors.ts';

/** The rules of monitoring and early warning (Art. 46; Data Security Law Art. 29; PIPL Art. 51). */
export const RULES = [
  'volume.user',
  'volume.table',
  'grant.terms',
  'signin.account',
  'signin.address',
  'token.addresses',
  'sensitive.fields',
] as const;
export type MonitoringRule = (typeof RULES)[number];

/** Refusals that mean a grant was used outside its terms (not a first try without any grant). */
export const OUTSIDE_TERMS = [
  'grant-expired',
  'grant-revoked',
  'grant-not-started',
  'field-not-granted',
  'operation-not-granted',
] as const;

const Count = (max: number) => Type.Integer({ minimum: 1, maximum: max });

export const ThresholdsSchema = Type.Object(
  {
    /** Seconds between two evaluations in the process that runs jobs. */
    intervalSeconds: Type.Integer({ minimum: 10, maximum: 86_400 }),
    volumeUser: Type.Object(
      {
        enabled: Type.Boolean(),
        /** Reads a day no one is warned about, whatever the user's history. */
        floor: Count(10_000_000),
        /** Downloads a day no one is warned about. */
        downloadFloor: Count(10_000_000),
        /** Today's count above factor × the median of the previous `days` days. */
        factor: Type.Number({ minimum: 1, maximum: 1000 }),
        days: Type.Integer({ minimum: 1, maximum: 90 }),
      },
      { additionalProperties: false },
    ),
    volumeTable: Type.Object(
      {
        enabled: Type.Boolean(),
        floor: Count(100_000_000),
        factor: Type.Number({ minimum: 1, maximum: 1000 }),
        days: Type.Integer({ minimum: 1, maximum: 90 }),
      },
      { additionalProperties: false },
    ),
    grantTerms: Type.Object(
      {
        enabled: Type.Boolean(),
        /** Refusals of one caller on one table in a day. */
        count: Count(100_000),
        reasons: Type.Array(
          Type.Union([
            Type.Literal('grant-expired'),
            Type.Literal('grant-revoked'),
            Type.Literal('grant-not-started'),
            Type.Literal('field-not-granted'),
            Type.Literal('operation-not-granted'),
          ]),
          {
            minItems: 1,
            uniqueItems: true,
          },
        ),
      },
      { additionalProperties: false },
    ),
    signIns: Type.Object(
      {
        enabled: Type.Boolean(),
        windowMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
        perAccount: Count(100_000),
        perAddress: Count(100_000),
      },
      { additionalProperties: false },
    ),
    tokenAddresses: Type.Object(
      {
        enabled: Type.Boolean(),
        windowMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
        /** Distinct addresses one token is used from within the window. */
        addresses: Type.Integer({ minimum: 2, maximum: 100_000 }),
      },
      { additionalProperties: false },
    ),
    sensitiveFields: Type.Object(
      {
        enabled: Type.Boolean(),
        /** Reads of one table's sensitive fields by one caller in a day. */
        count: Count(10_000_000),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Thresholds = Type.Static<typeof ThresholdsSchema>;

/** Defaults: quiet enough for a city's daily use, loud on what a person cannot do by hand. */
export const DEFAULT_THRESHOLDS: Thresholds = {
  intervalSeconds: 300,
  volumeUser: { enabled: true, floor: 500, downloadFloor: 50, factor: 5, days: 14 },
  volumeTable: { enabled: true, floor: 5000, factor: 5, days: 14 },
  grantTerms: { enabled: true, count: 3, reasons: [...OUTSIDE_TERMS] },
  signIns: { enabled: true, windowMinutes: 15, perAccount: 10, perAddress: 30 },
  tokenAddresses: { enabled: true, windowMinutes: 60, addresses: 5 },
  sensitiveFields: { enabled: true, count: 100 },
};

/** Checks an operator's thresholds; every problem is named with its path. */
export function validateThresholds(input: unknown): Thresholds {
  if (Value.Check(ThresholdsSchema, input)) return input;
  const errors = [...Value.Errors(ThresholdsSchema, input)].slice(0, 20).map((e) => ({
    path: e.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(body)',
    message: e.message,
  }));
  throw new ValidationError('The thresholds are not valid.', errors, 'SECURITY_THRESHOLDS_INVALID');
}

/** Median of counts, the days without any read counting as zero. */
export function median(values: readonly number[], days: number): number {
  const all = [...values, ...new Array<number>(Math.max(0, days - values.length)).fill(0)].sort(
    (a, b) => a - b,
  );
  if (all.length === 0) return 0;
  const mid = Math.floor(all.length / 2);
  return all.length % 2 === 1 ? all[mid]! : (all[mid - 1]! + all[mid]!) / 2;
}

/** The count above which a day is far from normal: the floor, or factor × the usual day, whichever is higher. */
export function volumeLimit(history: readonly number[], days: number, floor: number, factor: number): number {
  return Math.max(floor, factor * median(history, days));
}

/** Days are counted in the city's time (UTC+8), like usage counts. */
const CITY_OFFSET_MS = 8 * 3600_000;
export function cityDay(at: Date): string {
  return new Date(at.getTime() + CITY_OFFSET_MS).toISOString().slice(0, 10);
}
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
/** The city day as an instant range, for an alert's window. */
export function dayWindow(day: string): { start: Date; end: Date } {
  const start = new Date(Date.parse(`${day}T00:00:00Z`) - CITY_OFFSET_MS);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

export const SEVERITY: Record<MonitoringRule, 'low' | 'medium' | 'high'> = {
  'volume.user': 'medium',
  'volume.table': 'medium',
  'grant.terms': 'high',
  'signin.account': 'medium',
  'signin.address': 'high',
  'token.addresses': 'high',
  'sensitive.fields': 'high',
};
