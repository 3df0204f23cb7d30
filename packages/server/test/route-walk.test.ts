import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERNAMES } from '../src/platform/index.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

// Who may pass each permission's gate, written out here by hand (not read from the code), so that a
// change to the rules in the code shows up as a failure here.
const ALLOWED: Record<string, 'everyone' | 'signed-in' | string[]> = {
  public: 'everyone',
  'session:own': 'signed-in',
  'tokens:manage': 'signed-in',
  'jobs:read': 'signed-in',
  'users:read': ['operator', 'auditor'],
  'users:manage': ['operator'],
  'organizations:manage': ['operator'],
  // Resource permissions: the gate lets through whoever could hold them on some organisation.
  'organizations:members:read': [
    'operator',
    'auditor',
    'security',
    'transport-admin',
    'transport-editor',
    'health-admin',
    'haidian-member',
    'company-admin',
  ],
  'organizations:members:manage': ['operator', 'transport-admin', 'health-admin', 'company-admin'],
  // Companies pass the gate as organisation admins; the service then refuses them (only institutions).
  'clients:manage': ['operator', 'transport-admin', 'health-admin', 'company-admin'],
  'ledger:entries:read': ['operator', 'auditor', 'security'],
  'ledger:verify': ['operator', 'auditor'],
  'metrics:read': ['operator'],
  'catalog:edit': ['operator', 'transport-admin', 'transport-editor', 'health-admin', 'company-admin'],
  'catalog:submit': ['operator', 'transport-admin', 'health-admin', 'company-admin'],
  'catalog:review': ['operator'],
  'catalog:manage-own': [
    'operator',
    'auditor',
    'security',
    'transport-admin',
    'transport-editor',
    'health-admin',
    'haidian-member',
    'company-admin',
  ],
  'catalog:objections:file': 'signed-in',
  'catalog:objections:answer': [
    'operator',
    'transport-admin',
    'transport-editor',
    'health-admin',
    'company-admin',
  ],
  'catalog:profile:manage': ['operator'],
  'catalog:harvest': ['operator', 'transport-admin', 'health-admin', 'company-admin'],
  'datastore:manage': ['operator', 'transport-admin', 'transport-editor', 'health-admin', 'company-admin'],
  'datastore:upload': ['operator', 'transport-admin', 'transport-editor', 'health-admin', 'company-admin'],
  'datastore:prune': ['operator'],
  'opening:read': 'signed-in',
  'opening:plan': ['operator', 'transport-admin', 'transport-editor', 'health-admin', 'company-admin'],
  // The operator is an admin of the big data centre: it may submit that organisation's own plan.
  'opening:submit': ['operator', 'transport-admin', 'health-admin', 'company-admin'],
  'opening:review': ['operator'],
  'access:apply': 'signed-in',
  'access:read': 'signed-in',
  'access:review': ['operator', 'transport-admin', 'transport-editor', 'health-admin', 'company-admin'],
  'access:centre-review': ['operator'],
  'access:revoke': ['operator', 'transport-admin', 'health-admin', 'company-admin'],
  'notifications:read': 'signed-in',
  // Incidents and transfers: an organisation's admins act on their own; security officers on all (incidents)
  // or decide (transfers); operators and auditors read all.
  'security:incidents:read': [
    'operator',
    'auditor',
    'security',
    'transport-admin',
    'health-admin',
    'company-admin',
  ],
  'security:incidents:manage': ['operator', 'security', 'transport-admin', 'health-admin', 'company-admin'],
  'security:incidents:rules': ['operator'],
  'security:transfers:read': [
    'operator',
    'auditor',
    'security',
    'transport-admin',
    'health-admin',
    'company-admin',
  ],
  'security:transfers:request': ['operator', 'transport-admin', 'health-admin', 'company-admin'],
  'security:transfers:decide': ['security'],
  'security:transfers:rules': ['operator'],
  // Security grading: the read and confirm gates let members through (any member may be an organisation's
  // designated security officer); the service then decides on the organisation.
  'security:read': [
    'operator',
    'auditor',
    'security',
    'transport-admin',
    'transport-editor',
    'health-admin',
    'haidian-member',
    'company-admin',
  ],
  'security:grade': ['operator', 'transport-admin', 'transport-editor', 'health-admin', 'company-admin'],
  'security:confirm': [
    'operator',
    'security',
    'transport-admin',
    'transport-editor',
    'health-admin',
    'haidian-member',
    'company-admin',
  ],
  'security:officers': ['operator', 'transport-admin', 'health-admin', 'company-admin'],
  'security:matrix': ['operator', 'security'],
  // Scans and de-identification: the table's provider (admins, editors), security officers, operators.
  'security:scan': [
    'operator',
    'security',
    'transport-admin',
    'transport-editor',
    'health-admin',
    'company-admin',
  ],
  'security:derive': [
    'operator',
    'security',
    'transport-admin',
    'transport-editor',
    'health-admin',
    'company-admin',
  ],
  // Monitoring alerts: an organisation's admins read those about its data (the service narrows the list).
  'security-alerts:read': [
    'operator',
    'security',
    'auditor',
    'transport-admin',
    'health-admin',
    'company-admin',
  ],
  'security-alerts:handle': ['operator', 'security'],
  'security-monitoring:run': ['operator', 'security'],
  'security-monitoring:configure': ['operator'],
  'usage:read': [
    'operator',
    'auditor',
    'statistician',
    'transport-admin',
    'transport-editor',
    'health-admin',
    'haidian-member',
    'company-admin',
  ],
};

// CKAN's own convention: an action refused for want of credentials answers 403 "Authorization Error".
function isCkan(url: string): boolean {
  return url.startsWith('/api/3/') || url.startsWith('/api/action/');
}

const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

function concreteUrl(url: string): string {
  return url
    .replace(':treeSize', '1')
    .replace(':index', '0')
    .replace(':userId', ZERO_UUID)
    .replace(':clientId', 'dpcl_nobody')
    .replace(':version', '1')
    .replace(':ref', '9-99-999-999-999999')
    .replace(':year', '2026')
    .replace(':id', ZERO_UUID);
}

let t: TestPlatform;
const sessions = new Map<string, { cookie: string; csrf: string }>();

beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_LOGIN_MAX_FAILURES: '1000' });
  for (const username of DEMO_USERNAMES) sessions.set(username, await t.login(username));
});
afterAll(async () => t.close());

describe('every route with every role', () => {
  it('declares a known permission on every /api route', () => {
    const routes = t.platform.app.declaredRoutes;
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes)
      expect(Object.keys(ALLOWED), `${route.method} ${route.url}`).toContain(route.permission);
  });

  it('lets through exactly the allowed callers, and no one else', async () => {
    const failures: string[] = [];
    for (const route of t.platform.app.declaredRoutes) {
      // Signing out would end the session the walk keeps using; it is tested on its own.
      if (route.url === '/api/v1/auth/logout') continue;
      const rule = ALLOWED[route.permission]!;
      const callers: [string, { cookie: string; csrf: string } | undefined][] = [
        ['anonymous', undefined],
        ...DEMO_USERNAMES.map((u) => [u, sessions.get(u)] as [string, { cookie: string; csrf: string }]),
      ];
      for (const [who, session] of callers) {
        const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
        const response = await t.platform.app.inject({
          method: route.method as 'GET',
          url: concreteUrl(route.url),
          headers: session === undefined ? {} : { cookie: session.cookie, 'x-csrf-token': session.csrf },
          ...(hasBody ? { payload: {} } : {}),
        });
        const expectedAllowed =
          rule === 'everyone' || (rule === 'signed-in' ? who !== 'anonymous' : rule.includes(who));
        const status = response.statusCode;
        const gateRefused = status === 401 || (status === 403 && !resourceForbidden(route.permission));
        if (expectedAllowed && gateRefused) {
          failures.push(`${who} ${route.method} ${route.url}: expected through the gate, got ${status}`);
        }
        if (!expectedAllowed) {
          const expected = who === 'anonymous' && !isCkan(route.url) ? 401 : 403;
          if (status !== expected)
            failures.push(`${who} ${route.method} ${route.url}: expected ${expected}, got ${status}`);
        }
        if (status >= 500)
          failures.push(`${who} ${route.method} ${route.url}: server error ${response.body}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

// Resource permissions are checked twice: at the gate (could this caller act on *some* resource?) and in
// the service (on *this* resource); for the nonexistent resource of the walk, the service may say 403.
function resourceForbidden(permission: string): boolean {
  return (
    permission === 'organizations:members:read' ||
    permission === 'organizations:members:manage' ||
    permission === 'clients:manage' ||
    permission === 'catalog:manage-own' ||
    permission === 'catalog:harvest' ||
    permission === 'catalog:edit' ||
    permission === 'catalog:submit' ||
    permission === 'catalog:objections:answer' ||
    permission === 'datastore:manage' ||
    permission === 'datastore:upload' ||
    permission === 'opening:plan' ||
    permission === 'opening:submit' ||
    permission === 'access:review' ||
    permission === 'access:revoke' ||
    permission === 'usage:read' ||
    permission === 'security:read' ||
    permission === 'security:grade' ||
    permission === 'security:confirm' ||
    permission === 'security:officers' ||
    permission === 'security:scan' ||
    permission === 'security:derive'
  );
}
