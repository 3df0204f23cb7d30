import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  deadlineStatus,
  formatMinutes,
  laterStates,
  parseRecipients,
} from '../src/features/security-incidents/incidents-model.ts';
import {
  INCIDENT_KINDS,
  INCIDENT_STATES,
  LETTER_LANGUAGES,
  NOTICE_ITEMS,
  SEVERITIES,
} from '../src/features/security-incidents/incidents-types.ts';
import en from '../src/i18n/en.json' with { type: 'json' };
import fr from '../src/i18n/fr.json' with { type: 'json' };
import zhCN from '../src/i18n/zh-CN.json' with { type: 'json' };

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const catalogs = { 'zh-CN': zhCN, en, fr } as Record<string, unknown>;

function has(catalog: unknown, key: string): boolean {
  const parts = key.split('.');
  const last = parts.pop() ?? '';
  const parent = parts.reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], catalog) as
    | Record<string, unknown>
    | undefined;
  if (parent === undefined) return false;
  return typeof parent[last] === 'string' || typeof parent[`${last}_other`] === 'string';
}

const now = new Date('2026-12-01T10:00:00Z');

describe('the reporting deadline as shown', () => {
  it('is overdue past the deadline while no report is recorded', () => {
    const status = deadlineStatus(
      { deadlineAt: '2026-12-01T08:55:00Z', reportedAt: null, overdue: true },
      now,
    );
    expect(status).toEqual({ kind: 'overdue', by: 65 });
    expect(formatMinutes(65)).toBe('1 h 05 min');
  });

  it('counts down before the deadline and says when none applies', () => {
    expect(
      deadlineStatus({ deadlineAt: '2026-12-01T10:45:00Z', reportedAt: null, overdue: false }, now),
    ).toEqual({
      kind: 'due',
      in: 45,
    });
    expect(formatMinutes(45)).toBe('45 min');
    expect(deadlineStatus({ deadlineAt: null, reportedAt: null, overdue: false }, now)).toEqual({
      kind: 'none',
    });
  });

  it('trusts the server when it says overdue, and tells a late report from a timely one', () => {
    expect(
      deadlineStatus({ deadlineAt: '2026-12-01T10:01:00Z', reportedAt: null, overdue: true }, now).kind,
    ).toBe('overdue');
    expect(
      deadlineStatus(
        { deadlineAt: '2026-12-01T09:00:00Z', reportedAt: '2026-12-01T09:30:00Z', overdue: false },
        now,
      ),
    ).toEqual({ kind: 'reported', at: '2026-12-01T09:30:00Z', late: true });
    expect(
      deadlineStatus(
        { deadlineAt: '2026-12-01T09:00:00Z', reportedAt: '2026-12-01T08:30:00Z', overdue: false },
        now,
      ),
    ).toMatchObject({ late: false });
  });
});

describe('states and letters', () => {
  it('moves forward only', () => {
    expect(laterStates('open')).toEqual(['contained', 'resolved', 'closed']);
    expect(laterStates('resolved')).toEqual(['closed']);
    expect(laterStates('closed')).toEqual([]);
  });

  it('reads addresses one per line or separated by commas, without duplicates', () => {
    expect(parseRecipients('a@example.org\nb@example.org, A@example.org; nope\n\n')).toEqual({
      valid: ['a@example.org', 'b@example.org'],
      invalid: ['nope'],
    });
  });
});

describe('texts of the incident pages', () => {
  it('exist in zh-CN, en and fr for every key the pages name or build', () => {
    const dir = join(SRC, 'features/security-incidents');
    const keys = new Set<string>(['securityIncidents.nav']);
    for (const file of readdirSync(dir).filter((f) => /\.tsx?$/.test(f)))
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/['"](securityIncidents\.[\w.]+)['"]/g))
        keys.add(m[1] ?? '');
    for (const k of INCIDENT_KINDS) keys.add(`securityIncidents.kinds.${k}`);
    for (const s of SEVERITIES) keys.add(`securityIncidents.severity.${s}`);
    for (const s of INCIDENT_STATES) keys.add(`securityIncidents.states.${s}`);
    for (const l of LETTER_LANGUAGES) keys.add(`securityIncidents.letters.languages.${l}`);
    for (const n of NOTICE_ITEMS) keys.add(`securityIncidents.notice.${n}`);
    expect(keys.size).toBeGreaterThan(80);
    for (const [language, catalog] of Object.entries(catalogs)) {
      const missing = [...keys].filter((k) => !has(catalog, k));
      expect(missing, `missing in ${language}`).toEqual([]);
    }
  });
});
