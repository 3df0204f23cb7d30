import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  OUTSIDE_TERMS as SERVER_REASONS,
  RULES as SERVER_RULES,
} from '../../server/src/modules/security/monitoring/monitoring.rules.ts';
import type { SessionUser } from '../src/api/types.ts';
import { createAlertsApi } from '../src/features/security-alerts/alerts-api.ts';
import {
  alertsQuery,
  evidenceRows,
  filterFromParams,
  mayConfigureMonitoring,
  mayHandleAlerts,
  mayReadAlerts,
  nextMoves,
  SEVERITY_COLOR,
  thresholdProblems,
} from '../src/features/security-alerts/alerts-model.ts';
import { ALERT_RULES, OUTSIDE_TERMS, type Thresholds } from '../src/features/security-alerts/alerts-types.ts';
import en from '../src/i18n/en.json' with { type: 'json' };

function user(permissions: string[]): SessionUser {
  return {
    id: 'u',
    username: 'u',
    displayName: 'U',
    email: null,
    platformRoles: [],
    memberships: [],
    permissions,
  };
}

describe('alerts page model', () => {
  it('knows the rules and refusal reasons the server knows, and names each in the UI', () => {
    expect([...ALERT_RULES]).toEqual([...SERVER_RULES]);
    expect([...OUTSIDE_TERMS]).toEqual([...SERVER_REASONS]);
    const rules = en.securityAlerts.rules as Record<string, Record<string, string>>;
    for (const rule of ALERT_RULES) {
      const [group, name] = rule.split('.') as [string, string];
      expect(rules[group]?.[name], rule).toBeTruthy();
    }
  });

  it('accepts the server’s defaults and names every value out of range', () => {
    expect(thresholdProblems(DEFAULT_THRESHOLDS as Thresholds)).toEqual([]);
    const bad: Thresholds = structuredClone(DEFAULT_THRESHOLDS) as Thresholds;
    bad.intervalSeconds = 5;
    bad.volumeUser.factor = 0;
    bad.volumeTable.days = 120;
    bad.tokenAddresses.addresses = 1;
    bad.grantTerms.reasons = [];
    expect(thresholdProblems(bad).sort()).toEqual(
      [
        'intervalSeconds',
        'volumeUser.factor',
        'volumeTable.days',
        'tokenAddresses.addresses',
        'grantTerms.reasons',
      ].sort(),
    );
  });

  it('offers only the moves a state allows', () => {
    expect(nextMoves('open')).toEqual(['acknowledge', 'close', 'escalate']);
    expect(nextMoves('acknowledged')).toEqual(['close', 'escalate']);
    expect(nextMoves('closed')).toEqual([]);
    expect(nextMoves('escalated')).toEqual([]);
  });

  it('shows controls only to those holding the permission', () => {
    const officer = user(['security-alerts:read', 'security-alerts:handle', 'security-monitoring:run']);
    expect([mayReadAlerts(officer), mayHandleAlerts(officer), mayConfigureMonitoring(officer)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(mayReadAlerts(user([]))).toBe(false);
    expect(mayReadAlerts(undefined)).toBe(false);
    expect(mayConfigureMonitoring(user(['security-monitoring:configure']))).toBe(true);
  });

  it('keeps filters in the address and sends only those set', () => {
    const filter = filterFromParams(new URLSearchParams('state=open&rule=grant.terms&page=3'));
    expect(filter).toEqual({ state: 'open', rule: 'grant.terms', offset: 40, limit: 20 });
    expect(alertsQuery(filter)).toEqual({ state: 'open', rule: 'grant.terms', offset: '40', limit: '20' });
    expect(alertsQuery(filterFromParams(new URLSearchParams('page=x')))).toEqual({
      offset: '0',
      limit: '20',
    });
  });

  it('writes evidence as readable lines and severity with a colour besides its text', () => {
    expect(evidenceRows({ count: 6, tables: ['a', 'b'], nested: { x: 1 } })).toEqual([
      { key: 'count', value: '6' },
      { key: 'tables', value: 'a, b' },
      { key: 'nested', value: '{"x":1}' },
    ]);
    expect(new Set(Object.values(SEVERITY_COLOR)).size).toBe(3);
    expect(Object.keys(en.securityAlerts.severity).sort()).toEqual(Object.keys(SEVERITY_COLOR).sort());
  });
});

describe('alerts API client', () => {
  let server: Server;
  let base = '';
  const seen: { method: string; url: string; body: string; csrf: string | undefined }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push({
          method: req.method!,
          url: req.url!,
          body,
          csrf: req.headers['x-csrf-token'] as string | undefined,
        });
        if (req.url?.includes('/escalate')) {
          res.writeHead(503, { 'content-type': 'application/problem+json' });
          res.end(
            JSON.stringify({
              type: 'about:blank',
              title: 'Service unavailable',
              status: 503,
              detail: 'Incidents cannot be opened from alerts on this platform yet.',
              code: 'SECURITY_ESCALATION_UNAVAILABLE',
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ items: [], total: 0 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('calls the monitoring routes with the CSRF token, and surfaces problems', async () => {
    const api = createAlertsApi({ language: 'fr', csrfToken: 'tok', base });
    await api.list({ state: 'open', offset: 0, limit: 20 });
    await api.acknowledge('a/1', 'vu');
    await api.close('a1');
    await api.saveThresholds(DEFAULT_THRESHOLDS as Thresholds);
    await api.run();
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/v1/security/alerts?offset=0&limit=20&state=open',
      'POST /api/v1/security/alerts/a%2F1/acknowledge',
      'POST /api/v1/security/alerts/a1/close',
      'PUT /api/v1/security/monitoring/thresholds',
      'POST /api/v1/security/monitoring/run',
    ]);
    expect(seen.slice(1).every((s) => s.csrf === 'tok')).toBe(true);
    expect(JSON.parse(seen[1]!.body)).toEqual({ note: 'vu' });
    expect(JSON.parse(seen[2]!.body)).toEqual({});
    await expect(api.escalate('a1')).rejects.toMatchObject({
      status: 503,
      code: 'SECURITY_ESCALATION_UNAVAILABLE',
    });
  });
});
