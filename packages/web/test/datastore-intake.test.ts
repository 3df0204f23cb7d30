import { describe, expect, it } from 'vitest';
import type { DatastoreIntake } from '../src/features/datastore/datastore-types.ts';
import {
  FREQUENCIES,
  formValuesOf,
  frequencyOf,
  INTERVAL_PRESETS,
  intakeFieldErrors,
  intakeRequest,
  intakeStatusKey,
  intakeStatusTone,
  MAX_INTERVAL_MINUTES,
  MIN_INTERVAL_MINUTES,
  minutesOf,
} from '../src/features/datastore/intake-form.ts';
import en from '../src/i18n/en.json' with { type: 'json' };

const saved: DatastoreIntake = {
  url: 'https://data.example.org/buses.csv',
  format: 'csv',
  intervalMinutes: 60,
  enabled: false,
  lastRunAt: '2026-11-30T04:00:00.000Z',
  lastStatus: 'failed',
  lastError: 'HTTP 503',
  failures: 2,
  nextRunAt: '2026-11-30T04:10:00.000Z',
};

/** A key of the English catalog, or undefined when it has no such text. */
function english(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], en);
}

describe('scheduled intake helpers', () => {
  it('turns presets into minutes and back', () => {
    expect(frequencyOf(60)).toBe('hourly');
    expect(frequencyOf(1440)).toBe('daily');
    expect(frequencyOf(10080)).toBe('weekly');
    expect(frequencyOf(15)).toBe('every15Minutes');
    expect(frequencyOf(45)).toBe('custom');
    expect(minutesOf('every6Hours', 999)).toBe(360);
    expect(minutesOf('custom', 45)).toBe(45);
    for (const [name, minutes] of Object.entries(INTERVAL_PRESETS)) {
      expect(frequencyOf(minutes)).toBe(name);
      expect(minutes).toBeGreaterThanOrEqual(MIN_INTERVAL_MINUTES);
      expect(minutes).toBeLessThanOrEqual(MAX_INTERVAL_MINUTES);
    }
    expect(MAX_INTERVAL_MINUTES).toBe(44_640);
    expect(FREQUENCIES.at(-1)).toBe('custom');
  });

  it('starts an empty form as a daily, enabled pull with the format detected', () => {
    expect(formValuesOf(null)).toEqual({
      url: '',
      format: 'auto',
      frequency: 'daily',
      intervalMinutes: 1440,
      enabled: true,
    });
  });

  it('fills the form from a saved intake', () => {
    expect(formValuesOf(saved)).toEqual({
      url: 'https://data.example.org/buses.csv',
      format: 'csv',
      frequency: 'hourly',
      intervalMinutes: 60,
      enabled: false,
    });
    expect(formValuesOf({ ...saved, format: null, intervalMinutes: 90 })).toMatchObject({
      format: 'auto',
      frequency: 'custom',
      intervalMinutes: 90,
    });
  });

  it('builds the request: trimmed address, no format when detected, minutes of the preset', () => {
    expect(
      intakeRequest({
        url: '  http://127.0.0.1:9/none.csv ',
        format: 'auto',
        frequency: 'hourly',
        intervalMinutes: 1440,
        enabled: true,
      }),
    ).toEqual({ url: 'http://127.0.0.1:9/none.csv', intervalMinutes: 60, enabled: true });
    expect(
      intakeRequest({
        url: 'https://x.example/a.ndjson',
        format: 'ndjson',
        frequency: 'custom',
        intervalMinutes: 90,
        enabled: false,
      }),
    ).toEqual({ url: 'https://x.example/a.ndjson', format: 'ndjson', intervalMinutes: 90, enabled: false });
  });

  it('gives each result a colour and a translated name', () => {
    expect(intakeStatusTone('loaded')).toBe('green');
    expect(intakeStatusTone('unchanged')).toBe('blue');
    expect(intakeStatusTone('failed')).toBe('red');
    expect(intakeStatusTone(null)).toBe('grey');
    expect(intakeStatusKey('failed')).toBe('datastore.intake.statuses.failed');
    expect(intakeStatusKey(null)).toBe('datastore.intake.statuses.never');
    for (const status of ['loaded', 'unchanged', 'failed', null] as const)
      expect(typeof english(intakeStatusKey(status))).toBe('string');
    for (const frequency of FREQUENCIES)
      expect(typeof english(`datastore.intake.frequencies.${frequency}`)).toBe('string');
  });

  it('puts the server’s field errors on the fields the reader used', () => {
    const errors = [
      { path: '/url', message: 'Invalid scheme' },
      { path: 'format', message: 'Unknown format' },
      { path: 'intervalMinutes', message: 'must be >= 5' },
      { path: '', message: 'body must be object' },
      { path: 'enabled', message: 'must be boolean' },
    ];
    expect(intakeFieldErrors(errors, 'custom')).toEqual([
      { field: 'url', reason: 'Invalid scheme' },
      { field: 'format', reason: 'Unknown format' },
      { field: 'intervalMinutes', reason: 'must be >= 5' },
    ]);
    expect(intakeFieldErrors(errors, 'daily')[2]).toEqual({ field: 'frequency', reason: 'must be >= 5' });
    expect(intakeFieldErrors([], 'daily')).toEqual([]);
  });
});
