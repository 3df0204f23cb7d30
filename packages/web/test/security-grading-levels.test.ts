import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../src/api/types.ts';
import {
  dashboardTotals,
  datasetLevel,
  deadlinePassed,
  draftBody,
  type FieldRow,
  gradedChartOption,
  incompleteFields,
  initialRows,
  levelOf,
  mayOpenGrading,
  maySeeSecurity,
  proposalsByField,
} from '../src/features/security-grading/grading-levels.ts';
import { createSecurityApi, importantDataCsvUrl } from '../src/features/security-grading/security-api.ts';
import type {
  DashboardRow,
  GradingMatrix,
  GradingView,
} from '../src/features/security-grading/security-types.ts';

const MATRIX: GradingMatrix = {
  'national-security': {
    'especially-serious': 'core',
    serious: 'core',
    general: 'important',
    none: 'general-1',
  },
  'economic-operation': {
    'especially-serious': 'core',
    serious: 'important',
    general: 'general-4',
    none: 'general-1',
  },
  'social-order': {
    'especially-serious': 'core',
    serious: 'important',
    general: 'general-4',
    none: 'general-1',
  },
  'public-interest': {
    'especially-serious': 'core',
    serious: 'important',
    general: 'general-4',
    none: 'general-1',
  },
  'organisational-rights': {
    'especially-serious': 'general-4',
    serious: 'general-3',
    general: 'general-2',
    none: 'general-1',
  },
  'individual-rights': {
    'especially-serious': 'general-4',
    serious: 'general-3',
    general: 'general-2',
    none: 'general-1',
  },
};

const row = (
  field: string,
  impact?: FieldRow['impact'],
  harm?: FieldRow['harm'],
  rationale = '',
): FieldRow => ({
  field,
  impact,
  harm,
  rationale,
});

function user(platformRoles: string[], roles: ('admin' | 'editor' | 'member')[] = []): SessionUser {
  return {
    id: 'u',
    username: 'u',
    displayName: 'U',
    email: null,
    platformRoles,
    memberships: roles.map((role, i) => ({ organizationId: `org-${i}`, organizationName: 'Org', role })),
    permissions: [],
  };
}

describe('live level derivation', () => {
  it('reads the matrix once both impact object and harm are chosen', () => {
    expect(levelOf(MATRIX, 'individual-rights', 'serious')).toBe('general-3');
    expect(levelOf(MATRIX, 'national-security', 'general')).toBe('important');
    expect(levelOf(MATRIX, 'national-security', undefined)).toBeUndefined();
    expect(levelOf(undefined, 'national-security', 'general')).toBeUndefined();
  });

  it('takes the highest field level for the dataset, raised (never lowered) by the dataset’s own', () => {
    const rows = [row('a', 'individual-rights', 'general'), row('b', 'public-interest', 'serious'), row('c')];
    expect(datasetLevel(MATRIX, rows, undefined)).toBe('important');
    expect(datasetLevel(MATRIX, rows, { impact: 'national-security', harm: 'serious' })).toBe('core');
    expect(datasetLevel(MATRIX, rows, { impact: 'individual-rights', harm: 'none' })).toBe('important');
    expect(datasetLevel(MATRIX, [row('c')], undefined)).toBeUndefined();
  });

  it('sends only assessed rows, trimmed, and a dataset assessment only when complete', () => {
    const body = draftBody([row('a', 'social-order', 'general', '  why  '), row('b', 'social-order')], {
      impact: 'public-interest',
    });
    expect(body).toEqual({
      fields: [{ field: 'a', impact: 'social-order', harm: 'general', rationale: 'why' }],
      dataset: null,
    });
    expect(draftBody([], { impact: 'public-interest', harm: 'none', rationale: ' x ' }).dataset).toEqual({
      impact: 'public-interest',
      harm: 'none',
      rationale: 'x',
    });
  });

  it('names the fields still to assess or explain', () => {
    expect(
      incompleteFields([
        row('a', 'social-order', 'general', 'ok'),
        row('b', 'social-order', 'none'),
        row('c'),
      ]),
    ).toEqual(['b', 'c']);
  });

  it('starts one row per field of the entry, from the saved grading', () => {
    const view = {
      entry: { fields: [{ name: 'a' }, { name: 'b' }] },
      grading: {
        fields: [{ field: 'b', impact: 'social-order', harm: 'serious', rationale: 'r', level: 'important' }],
      },
    } as unknown as GradingView;
    expect(initialRows(view)).toEqual([row('a'), row('b', 'social-order', 'serious', 'r')]);
    const proposals = proposalsByField([
      { field: 'a', personalInfo: 'personal', grade: 'general-3', reason: 'names' },
      { field: 'a', personalInfo: 'sensitive', grade: 'general-4', reason: 'ids' },
    ]);
    expect(proposals.get('a')).toHaveLength(2);
    expect(proposals.get('b')).toBeUndefined();
  });
});

describe('dashboard helpers', () => {
  const base: DashboardRow = {
    organizationId: 'o1',
    code: 'o1',
    name: '甲',
    nameEn: 'A',
    entries: 5,
    graded: 3,
    ungraded: 2,
    awaitingConfirmation: 1,
    important: 1,
    core: 0,
    openAlerts: 2,
    openIncidents: 1,
    nextDeadline: '2026-01-01T00:00:00Z',
    overdueIncidents: 1,
    deadlinePassed: true,
    chiefDataOfficer: null,
    securityOfficer: null,
  };

  it('tells a passed deadline from a coming one', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(deadlinePassed('2026-05-31T23:59:00Z', now)).toBe(true);
    expect(deadlinePassed('2026-06-01T04:00:00Z', now)).toBe(false);
    expect(deadlinePassed(null, now)).toBe(false);
    expect(deadlinePassed('soon', now)).toBe(false);
  });

  it('sums and charts institutions with entries only', () => {
    const empty = { ...base, organizationId: 'o2', name: '乙', entries: 0, graded: 0, ungraded: 0 };
    expect(dashboardTotals([base, empty])).toMatchObject({
      entries: 5,
      graded: 3,
      ungraded: 2,
      openAlerts: 4,
    });
    const option = gradedChartOption([base, empty], { graded: 'G', ungraded: 'U', name: (r) => r.name }) as {
      yAxis: { data: string[] };
      series: { name: string; data: number[] }[];
    };
    expect(option.yAxis.data).toEqual(['甲']);
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['G', [3]],
      ['U', [2]],
    ]);
  });

  it('shows the Security area to security officers, operators, auditors and org admins', () => {
    expect(maySeeSecurity(user(['security_officer']))).toBe(true);
    expect(maySeeSecurity(user(['auditor']))).toBe(true);
    expect(maySeeSecurity(user([], ['admin']))).toBe(true);
    expect(maySeeSecurity(user([], ['editor']))).toBe(false);
    expect(maySeeSecurity(user(['statistician']))).toBe(false);
    expect(maySeeSecurity(undefined)).toBe(false);
    expect(mayOpenGrading(user([], ['editor']))).toBe(true);
    expect(mayOpenGrading(user([]))).toBe(false);
  });
});

describe('security API client', () => {
  let server: Server;
  let base = '';
  const seen: { method: string; url: string; body: string; csrf: string | undefined }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({
          method: req.method!,
          url: req.url!,
          body,
          csrf: req.headers['x-csrf-token'] as string | undefined,
        });
        if (req.url?.includes('missing')) {
          res.writeHead(404, { 'content-type': 'application/problem+json' });
          res.end(
            JSON.stringify({
              type: 'about:blank',
              title: 'Not Found',
              status: 404,
              detail: 'No entry',
              code: 'SECURITY_ENTRY_NOT_FOUND',
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('calls the grading routes with the CSRF token and encoded codes', async () => {
    const api = createSecurityApi({ language: 'en', csrfToken: 'tok', base });
    await api.saveDraft('1-02/x', { fields: [], dataset: null });
    await api.review('1-02', { decision: 'return', comment: 'why' });
    await api.appoint('org', 'security-officer', { userId: 'u', name: 'N' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'PUT /api/v1/security/gradings/1-02%2Fx',
      'POST /api/v1/security/gradings/1-02/review',
      'PUT /api/v1/security/organizations/org/officers/security-officer',
    ]);
    expect(seen.every((s) => s.csrf === 'tok')).toBe(true);
    expect(JSON.parse(seen[1]!.body)).toEqual({ decision: 'return', comment: 'why' });
    await expect(api.grading('missing')).rejects.toMatchObject({ status: 404 });
    expect(importantDataCsvUrl('o 1')).toBe('/api/v1/security/organizations/o%201/important-data.csv');
  });
});
