/**
 * Date, time and date-time parsing without Date objects on the hot path: cells are checked character by
 * character and, when already in the canonical form PostgreSQL reads, returned unchanged.
 */

export interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction of a second as written (digits only, at most 6), '' when absent. */
  fraction: string;
  /** Offset from UTC in minutes, null for a naive value. */
  offset: number | null;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS[month - 1] ?? 0;
}

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two digits at i as a number, -1 if either is not a digit. */
function two(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function four(s: string, i: number): number {
  const a = two(s, i);
  const b = two(s, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function pad4(n: number): string {
  return n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : String(n);
}

/** `YYYY-M-D` with 1- or 2-digit month and day (what strptime's `%Y-%m-%d` accepts); canonical text or undefined. */
export function castIsoDate(s: string): string | undefined {
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y = four(s, 0);
    const m = two(s, 5);
    const d = two(s, 8);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
    return s;
  }
  if (s.length < 8 || s.length > 10 || s.charCodeAt(4) !== 45) return undefined;
  const y = four(s, 0);
  if (y < 1) return undefined;
  let i = 5;
  let m = 0;
  let d = 0;
  let n = 0;
  for (; i < s.length && s.charCodeAt(i) !== 45; i++, n++) {
    const x = digit(s, i);
    if (x < 0) return undefined;
    m = m * 10 + x;
  }
  if (n < 1 || n > 2 || i >= s.length) return undefined;
  n = 0;
  for (i++; i < s.length; i++, n++) {
    const x = digit(s, i);
    if (x < 0) return undefined;
    d = d * 10 + x;
  }
  if (n < 1 || n > 2 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

/**
 * ISO 8601 time `HH:MM:SS[.fff][Z|±HH[:MM]]` starting at `i`; fills `out` and returns true when valid.
 * Hour 24 is accepted only as 24:00:00 (the end of the day).
 */
function parseIsoTime(s: string, i: number, out: Parts): boolean {
  const h = two(s, i);
  if (h < 0 || s.charCodeAt(i + 2) !== 58) return false;
  const mi = two(s, i + 3);
  if (mi < 0 || mi > 59 || s.charCodeAt(i + 5) !== 58) return false;
  const sec = two(s, i + 6);
  if (sec < 0 || sec > 59) return false;
  let j = i + 8;
  let fraction = '';
  const c = s.charCodeAt(j);
  if (c === 46 || c === 44) {
    let k = j + 1;
    while (k < s.length && digit(s, k) >= 0) k++;
    if (k === j + 1) return false;
    fraction = s.slice(j + 1, Math.min(k, j + 7)).replace(/0+$/, '');
    j = k;
  }
  let offset: number | null = null;
  if (j < s.length) {
    const z = s.charCodeAt(j);
    if ((z === 90 || z === 122) && j + 1 === s.length) offset = 0;
    else if (z === 43 || z === 45) {
      const oh = two(s, j + 1);
      if (oh < 0 || oh > 23) return false;
      let om = 0;
      let k = j + 3;
      if (k < s.length) {
        if (s.charCodeAt(k) === 58) k++;
        om = two(s, k);
        if (om < 0 || om > 59 || k + 2 !== s.length) return false;
      }
      offset = (z === 45 ? -1 : 1) * (oh * 60 + om);
    } else return false;
  }
  if (h > 24 || (h === 24 && (mi !== 0 || sec !== 0 || fraction !== ''))) return false;
  out.hour = h;
  out.minute = mi;
  out.second = sec;
  out.fraction = fraction;
  out.offset = offset;
  return true;
}

const scratch: Parts = {
  year: 0,
  month: 0,
  day: 0,
  hour: 0,
  minute: 0,
  second: 0,
  fraction: '',
  offset: null,
};

/** Formats parts as PostgreSQL `timestamp` text, converting zoned values to UTC and rolling 24:00 over. */
export function formatDatetime(p: Parts): string {
  let { year, month, day, hour, minute } = p;
  if (p.offset !== null || hour === 24) {
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    d.setUTCHours(hour, minute - (p.offset ?? 0), p.second, 0);
    year = d.getUTCFullYear();
    month = d.getUTCMonth() + 1;
    day = d.getUTCDate();
    hour = d.getUTCHours();
    minute = d.getUTCMinutes();
    if (year < 1) return formatBc(d, p);
  }
  const base = `${pad4(year)}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(p.second)}`;
  return p.fraction === '' ? base : `${base}.${p.fraction}`;
}

function formatBc(d: Date, p: Parts): string {
  // Year 0 and earlier only appear when an offset crosses 0001-01-01; PostgreSQL spells them with BC.
  const y = 1 - d.getUTCFullYear();
  const base = `${pad4(y)}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(p.second)}`;
  return `${p.fraction === '' ? base : `${base}.${p.fraction}`} BC`;
}

/** Table Schema default date-time: `YYYY-MM-DD` + one separator character + `HH:MM:SS[.f][zone]`. */
export function castIsoDatetime(s: string): string | undefined {
  // Like Frictionless: the time needs seconds (the 17th character is the second colon).
  if (s.length < 19 || s.charCodeAt(16) !== 58) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const y = four(s, 0);
  const m = two(s, 5);
  const d = two(s, 8);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  const p = scratch;
  if (!parseIsoTime(s, 11, p)) return undefined;
  if (p.offset === null && p.hour !== 24 && s.charCodeAt(10) === 84) {
    // Already `YYYY-MM-DDTHH:MM:SS[.fff]` with a trimmed fraction.
    if (p.fraction === '' ? s.length === 19 : s.length === 20 + p.fraction.length && s.charCodeAt(19) === 46)
      return s;
  }
  p.year = y;
  p.month = m;
  p.day = d;
  return formatDatetime(p);
}

/** Formats a time of day as PostgreSQL `time` text; zoned times are shifted to UTC. */
export function formatTime(p: Parts): string {
  let minutes = (p.hour * 60 + p.minute - (p.offset ?? 0)) % 1440;
  if (minutes < 0) minutes += 1440;
  const base = `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}:${pad2(p.second)}`;
  return p.fraction === '' ? base : `${base}.${p.fraction}`;
}

/** Table Schema default time: `HH:MM:SS[.f][zone]`. */
export function castIsoTime(s: string): string | undefined {
  if (s.length < 8 || s.charCodeAt(5) !== 58) return undefined;
  const p = scratch;
  if (!parseIsoTime(s, 0, p)) return undefined;
  if (p.offset === null && p.hour < 24 && s.length === 8) return s;
  return formatTime(p);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

type Setter = (p: Parts, text: string) => void;

/**
 * Compiles a strptime-style pattern (`%d.%m.%Y`, `%Y-%m-%d %H:%M`, ...) once per field into a matcher.
 * Directives: %Y %y %m %d %H %I %p %M %S %f %z %Z %b %h %B %a %A %j(ignored) %%; matching ignores case
 * like Python's strptime. Missing parts default to 1900-01-01 00:00:00.
 */
export function compileStrptime(format: string): ((s: string) => Parts | undefined) | undefined {
  let source = '^';
  const setters: Setter[] = [];
  let pm: 'am' | 'pm' | null = null;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      source += /\s/.test(c) ? '\\s+' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      continue;
    }
    const d = format[++i];
    const add = (re: string, set: Setter) => {
      source += `(${re})`;
      setters.push(set);
    };
    switch (d) {
      case 'Y':
        add('\\d{4}', (p, t) => {
          p.year = Number(t);
        });
        break;
      case 'y':
        add('\\d{2}', (p, t) => {
          p.year = Number(t) + (Number(t) < 69 ? 2000 : 1900);
        });
        break;
      case 'm':
        add('1[0-2]|0[1-9]|[1-9]', (p, t) => {
          p.month = Number(t);
        });
        break;
      case 'd':
        add('3[01]|[12]\\d|0[1-9]|[1-9]| [1-9]', (p, t) => {
          p.day = Number(t);
        });
        break;
      case 'H':
        add('2[0-3]|[0-1]\\d|\\d', (p, t) => {
          p.hour = Number(t);
        });
        break;
      case 'I':
        add('1[0-2]|0[1-9]|[1-9]', (p, t) => {
          p.hour = Number(t) % 12;
        });
        break;
      case 'p':
        add('am|pm', (_p, t) => {
          pm = t.toLowerCase() as 'am' | 'pm';
        });
        break;
      case 'M':
        add('[0-5]\\d|\\d', (p, t) => {
          p.minute = Number(t);
        });
        break;
      case 'S':
        add('6[0-1]|[0-5]\\d|\\d', (p, t) => {
          p.second = Math.min(59, Number(t));
        });
        break;
      case 'f':
        add('\\d{1,6}', (p, t) => {
          p.fraction = t.replace(/0+$/, '');
        });
        break;
      case 'z':
        add('[+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d)?|z', (p, t) => {
          if (t.toLowerCase() === 'z') p.offset = 0;
          else {
            const digits = t.slice(1).replaceAll(':', '');
            p.offset =
              (t[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
          }
          return true;
        });
        break;
      case 'Z':
        add('utc|gmt|z', (p) => {
          p.offset = 0;
        });
        break;
      case 'b':
      case 'h':
        add(MONTHS.join('|'), (p, t) => {
          p.month = MONTHS.indexOf(t.toLowerCase()) + 1;
        });
        break;
      case 'B':
        add(MONTH_NAMES.join('|'), (p, t) => {
          p.month = MONTH_NAMES.indexOf(t.toLowerCase()) + 1;
        });
        break;
      case 'a':
        add('mon|tue|wed|thu|fri|sat|sun', () => {});
        break;
      case 'A':
        add('monday|tuesday|wednesday|thursday|friday|saturday|sunday', () => {});
        break;
      case 'j':
        add('36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9]', () => {});
        break;
      case '%':
        source += '%';
        break;
      default:
        return undefined;
    }
  }
  const re = new RegExp(`${source}$`, 'i');
  return (s: string) => {
    const match = re.exec(s);
    if (match === null) return undefined;
    const p: Parts = {
      year: 1900,
      month: 1,
      day: 1,
      hour: 0,
      minute: 0,
      second: 0,
      fraction: '',
      offset: null,
    };
    pm = null;
    for (let k = 0; k < setters.length; k++) setters[k]!(p, match[k + 1]!);
    if (pm === 'pm') p.hour += 12;
    if (p.day > daysInMonth(p.year, p.month)) return undefined;
    return p;
  };
}
