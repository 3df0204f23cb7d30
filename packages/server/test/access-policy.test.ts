// One policy decides every read of a table's rows: this walks every open type × share type × grade the
// catalog accepts, every kind of caller (with and without grants), and every way rows leave (records,
// download, aggregate, SQL, CKAN), and checks each answer against the rules written out below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/kernel/auth/index.ts';
import type { Grade, OpenType, ShareType } from '../src/modules/catalog/index.ts';
import { grantDecision, type ReadGrant } from '../src/modules/datastore/datastore.policy.ts';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { tableWithRows } from './support/tables.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;
const callers: Record<string, Caller | undefined> = {};
let transport: { id: string; creditCode: string };
let haidian: { id: string; creditCode: string };
let termsVersion: string;

const TABLE_CSV = [
  'route_name,first_departure,fare',
  '1路,05:00:00,2',
  '特8路,05:10:00,3',
  '夜3路,23:00:00,2.5',
].join('\n');
const ALL_FIELDS = ['route_name', 'first_departure', 'fare'];
const GRANTED_FIELDS = ['route_name', 'fare'];

interface Case {
  openType: OpenType;
  shareType: ShareType;
  grade: Grade;
  code: string;
  table: string;
}
const cases: Case[] = [];

async function inject(caller: Caller | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.platform.app.inject({
    method,
    url,
    headers: headers(caller),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

async function tableFor(code: string): Promise<string> {
  return tableWithRows(t, callers['transport-editor']!, code, TABLE_CSV);
}

/** Applies for access, and has the provider (and for important data the big data centre) approve it. */
async function grant(
  caller: Caller,
  code: string,
  grade: Grade,
  kind: 'open' | 'share',
  operations: string[] = ['records', 'download'],
  fields: string[] = GRANTED_FIELDS,
): Promise<string> {
  const today = new Date().toISOString().slice(0, 10);
  const end = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
  const applied = await inject(caller, 'POST', '/api/v1/access/applications', {
    kind,
    entryCode: code,
    ...(kind === 'open'
      ? { applicantKind: 'individual', applicantName: '王小明' }
      : {
          applicantKind: 'institution',
          organizationId: haidian.id,
          applicantName: '北京市海淀区人民政府',
          creditCode: haidian.creditCode,
        }),
    purpose: '研究城市公交票价与首班车时间的关系',
    scenario: '学术研究',
    fields,
    operations,
    periodStart: today,
    periodEnd: end,
    securityMeasures: '加密存储，仅两人可访问',
    termsVersion,
    acceptTerms: true,
  });
  expect(applied.statusCode, applied.body).toBe(201);
  const id = (applied.json() as { id: string }).id;
  const reviewed = await inject(
    callers['transport-admin'],
    'POST',
    `/api/v1/access/applications/${id}/review`,
    {
      decision: 'approve',
    },
  );
  expect(reviewed.statusCode, reviewed.body).toBe(200);
  if (grade === 'important') {
    const centre = await inject(callers.operator, 'POST', `/api/v1/access/applications/${id}/centre-review`, {
      decision: 'approve',
    });
    expect(centre.statusCode, centre.body).toBe(200);
  }
  const application = (await inject(caller, 'GET', `/api/v1/access/applications/${id}`)).json() as {
    state: string;
    grantId: string | null;
  };
  expect(application.state).toBe('approved');
  return application.grantId!;
}

/** The combinations the catalog standard accepts: core data is never opened, important data never without conditions. */
function combinations(): Omit<Case, 'code' | 'table'>[] {
  const out: Omit<Case, 'code' | 'table'>[] = [];
  for (const grade of ['general-1', 'important', 'core'] as const)
    for (const openType of ['unconditional', 'conditional', 'not_open'] as const)
      for (const shareType of ['unconditional', 'conditional', 'not_shared'] as const) {
        if (grade === 'core' && openType !== 'not_open') continue;
        if (grade === 'important' && openType === 'unconditional') continue;
        out.push({ grade, openType, shareType });
      }
  return out;
}

type Caller_ =
  | 'anonymous'
  | 'citizen'
  | 'citizen-granted'
  | 'company-admin'
  | 'haidian-member'
  | 'haidian-granted'
  | 'health-admin'
  | 'transport-editor'
  | 'operator'
  | 'auditor';

/** What the rules say a caller gets: every field, the granted ones, or a refusal with its status. */
type Expected = { fields: string[]; aggregate: boolean } | { status: 401 | 403 | 404 };

function expected(caller: Caller_, c: Case): Expected {
  const all = { fields: ALL_FIELDS, aggregate: true };
  if (caller === 'transport-editor' || caller === 'operator') return all;
  if (c.grade === 'core') return { status: 404 };
  if (c.openType === 'unconditional') return all;
  const haidianMember = caller === 'haidian-member' || caller === 'haidian-granted';
  const institution = haidianMember || caller === 'health-admin';
  if (institution && c.shareType === 'unconditional') return all;
  const granted = { fields: GRANTED_FIELDS, aggregate: false };
  if (caller === 'citizen-granted' && c.openType === 'conditional') return granted;
  // A sharing grant is the institution's: every member of Haidian uses it. An opening grant is personal.
  if (haidianMember && c.shareType === 'conditional') return granted;
  if (caller === 'haidian-granted' && c.openType === 'conditional') return granted;
  if (c.openType === 'conditional') return { status: caller === 'anonymous' ? 401 : 403 };
  if (institution && c.shareType === 'conditional') return { status: 403 };
  return { status: 404 };
}

const CALLERS: Caller_[] = [
  'anonymous',
  'citizen',
  'citizen-granted',
  'company-admin',
  'haidian-member',
  'haidian-granted',
  'health-admin',
  'transport-editor',
  'operator',
  'auditor',
];

beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_LOGIN_MAX_FAILURES: '1000' });
  for (const name of [
    'operator',
    'auditor',
    'transport-admin',
    'transport-editor',
    'haidian-member',
    'company-admin',
    'citizen',
    'health-admin',
  ])
    callers[name] = await t.login(name);
  transport = await organizationByCode(t, 'bjjtw');
  haidian = await organizationByCode(t, 'haidian');
  termsVersion = ((await inject(undefined, 'GET', '/api/v1/access/terms')).json() as { version: string })
    .version;
  for (const combo of combinations()) {
    const itemGrade =
      combo.grade === 'core' ? 'core' : combo.grade === 'important' ? 'important' : 'general-1';
    const metadata = sampleEntry(transport, {
      title: { zh: `公交线路 ${combo.openType}/${combo.shareType}/${combo.grade}` },
      openType: combo.openType,
      shareType: combo.shareType,
      grade: combo.grade,
      ...(combo.openType === 'conditional' ? { openCondition: '用于研究，需签署使用协议' } : {}),
      ...(combo.shareType === 'conditional' ? { shareCondition: '用于政务服务' } : {}),
    });
    metadata.informationItems = metadata.informationItems.map((item, i) =>
      // The entry takes the highest grade of its fields: the others are kept from raising it.
      i === 0 ? { ...item, grade: itemGrade } : { ...item, grade: 'general-1' },
    );
    const { code } = await publishEntry(
      t,
      callers['transport-editor']!,
      callers['transport-admin']!,
      callers.operator!,
      metadata,
    );
    cases.push({ ...combo, code, table: await tableFor(code) });
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function newAccount(username: string, organizationId?: string): Promise<Caller> {
  const system = systemActor('test');
  await t.platform.identity.createUser(system, {
    username,
    displayName: username,
    email: `${username}@example.invalid`,
    password: 'Passw0rd-Passw0rd!',
  });
  if (organizationId !== undefined)
    await t.platform.identity.addMemberByUsername(system, organizationId, username, 'member');
  return t.login(username, 'Passw0rd-Passw0rd!');
}

/** What one caller gets from each way rows leave a table. */
async function observe(caller: Caller | undefined, c: Case) {
  const records = await inject(caller, 'GET', `/api/v1/datastore/${c.table}/records`);
  const download = await inject(caller, 'GET', `/api/v1/datastore/${c.table}/download?format=csv`);
  const aggregate = await inject(caller, 'GET', `/api/v1/datastore/${c.table}/aggregate?groupBy=fare`);
  const ckan = await inject(caller, 'GET', `/api/3/action/datastore_search?resource_id=${c.table}`);
  const sqlRead = await inject(caller, 'POST', '/api/v1/datastore/sql', {
    sql: `SELECT * FROM "${c.table}"`,
  });
  return { records, download, aggregate, ckan, sqlRead };
}

describe('the enforcement matrix', () => {
  beforeAll(async () => {
    callers['citizen-granted'] = await newAccount('citizen-granted');
    callers['haidian-granted'] = await newAccount('haidian-granted', haidian.id);
    for (const c of cases) {
      if (c.grade === 'core') continue;
      if (c.openType === 'conditional') await grant(callers['citizen-granted']!, c.code, c.grade, 'open');
      if (c.openType === 'conditional' || c.shareType === 'conditional')
        await grant(
          callers['haidian-granted']!,
          c.code,
          c.grade,
          c.shareType === 'conditional' ? 'share' : 'open',
        );
    }
  }, 120_000);

  it('has one entry per combination the catalog accepts', () => {
    expect(cases.map((c) => `${c.openType}/${c.shareType}/${c.grade}`)).toHaveLength(18);
  });

  it('gives every caller exactly what the rules allow, through every route', async () => {
    const mismatches: string[] = [];
    for (const c of cases) {
      for (const who of CALLERS) {
        const want = expected(who, c);
        const got = await observe(callers[who], c);
        const label = `${who} on ${c.openType}/${c.shareType}/${c.grade}`;
        if ('status' in want) {
          for (const [route, response] of Object.entries(got)) {
            if (route === 'sqlRead' || route === 'ckan') {
              // These answer in their own envelope; what matters is that no row leaves.
              if (response.statusCode === 200) mismatches.push(`${label}: ${route} answered 200`);
              continue;
            }
            if (response.statusCode !== want.status)
              mismatches.push(`${label}: ${route} ${response.statusCode}, expected ${want.status}`);
          }
          continue;
        }
        const page = got.records.json() as {
          fields?: { name: string }[];
          records?: Record<string, unknown>[];
        };
        if (got.records.statusCode !== 200) mismatches.push(`${label}: records ${got.records.statusCode}`);
        else {
          const names = (page.fields ?? []).map((f) => f.name);
          const keys = Object.keys(page.records?.[0] ?? {}).filter((k) => k !== '_id');
          if (names.join() !== want.fields.join() || keys.join() !== want.fields.join())
            mismatches.push(`${label}: records fields ${names.join()} / ${keys.join()}`);
        }
        const header = got.download.body.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
        if (got.download.statusCode !== 200 || header !== want.fields.join(','))
          mismatches.push(`${label}: download ${got.download.statusCode} ${header}`);
        const aggregateOk = got.aggregate.statusCode === 200;
        if (aggregateOk !== want.aggregate)
          mismatches.push(`${label}: aggregate ${got.aggregate.statusCode}`);
        const ckanFields =
          got.ckan.statusCode === 200
            ? (got.ckan.json() as { result: { fields: { id: string }[] } }).result.fields
                .map((f) => f.id)
                .filter((f) => f !== '_id')
            : [];
        if (ckanFields.join() !== want.fields.join())
          mismatches.push(`${label}: ckan ${got.ckan.statusCode} ${ckanFields.join()}`);
        // SQL reads whole tables: only those who may read every field get it.
        const sqlWanted = want.fields.length === ALL_FIELDS.length;
        if ((got.sqlRead.statusCode === 200) !== sqlWanted)
          mismatches.push(`${label}: sql ${got.sqlRead.statusCode}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});

/** The catalog's rule for an entry's metadata: open data for all, shared data for institutions, all of it for oversight. */
function seesMetadata(caller: Caller_, c: Case): boolean {
  if (caller === 'transport-editor' || caller === 'operator' || caller === 'auditor') return true;
  if (c.openType !== 'not_open') return true;
  const institution =
    caller === 'haidian-member' || caller === 'haidian-granted' || caller === 'health-admin';
  return institution && c.shareType !== 'not_shared';
}

describe('the metadata of the same entries', () => {
  it('is shown by the API, search and DCAT exactly to those the catalog rules allow', async () => {
    const mismatches: string[] = [];
    for (const c of cases) {
      for (const who of CALLERS) {
        const caller = callers[who];
        const want = seesMetadata(who, c);
        const label = `${who} on ${c.openType}/${c.shareType}/${c.grade}`;
        const detail = await inject(caller, 'GET', `/api/v1/catalog/entries/${c.code}`);
        if ((detail.statusCode === 200) !== want) mismatches.push(`${label}: entry ${detail.statusCode}`);
        const search = await inject(
          caller,
          'GET',
          `/api/v1/catalog/entries?organization=${transport.id}&openType=${c.openType}&shareType=${c.shareType}&limit=200`,
        );
        const found = (search.json() as { items: { code: string }[] }).items.some((i) => i.code === c.code);
        if (found !== want) mismatches.push(`${label}: search ${found ? 'finds' : 'misses'} it`);
        const dcat = await t.platform.app.inject({
          method: 'GET',
          url: `/catalog/entries/${c.code}`,
          headers: headers(caller, { accept: 'text/turtle' }),
        });
        if ((dcat.statusCode === 200) !== want) mismatches.push(`${label}: DCAT ${dcat.statusCode}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});

describe('grants at their limits', () => {
  let c: Case;
  let holder: Caller;
  let grantId: string;

  beforeAll(async () => {
    c = cases.find(
      (x) => x.openType === 'conditional' && x.shareType === 'not_shared' && x.grade === 'general-1',
    )!;
    holder = await newAccount('grant-limits');
    grantId = await grant(holder, c.code, c.grade, 'open', ['records']);
  });

  async function lastRefusal(): Promise<Record<string, unknown>> {
    const size = await t.platform.ledger.size();
    const entry = JSON.parse((await t.platform.ledger.getEntry(size - 1)).entry) as {
      action: string;
      details: Record<string, unknown>;
    };
    expect(entry.action).toBe('datastore.read.refused');
    return entry.details;
  }

  it('refuses, and logs, fields outside the grant, asked for, filtered or sorted on', async () => {
    for (const query of [
      'fields=first_departure',
      'filters={"first_departure":"05:00:00"}',
      'sort=first_departure',
    ]) {
      const response = await inject(holder, 'GET', `/api/v1/datastore/${c.table}/records?${query}`);
      expect(response.statusCode, query).toBe(403);
      expect((response.json() as { code: string }).code).toBe('DATASTORE_FIELD_NOT_GRANTED');
      expect(await lastRefusal()).toMatchObject({ reason: 'field-not-granted', fields: ['first_departure'] });
    }
    const granted = await inject(holder, 'GET', `/api/v1/datastore/${c.table}/records?fields=fare&sort=fare`);
    expect(granted.statusCode).toBe(200);
    expect((granted.json() as { records: { fare: number }[] }).records.map((r) => r.fare)).toEqual([
      2, 2.5, 3,
    ]);
  });

  it('refuses, and logs, a use the grant does not cover', async () => {
    const response = await inject(holder, 'GET', `/api/v1/datastore/${c.table}/download?format=csv`);
    expect(response.statusCode).toBe(403);
    expect((response.json() as { code: string }).code).toBe('DATASTORE_OPERATION_NOT_GRANTED');
    expect(await lastRefusal()).toMatchObject({ reason: 'operation-not-granted', operation: 'download' });
  });

  it('does not carry a grant over to another entry', async () => {
    const other = cases.find(
      (x) => x.openType === 'conditional' && x.shareType === 'conditional' && x.grade === 'general-1',
    )!;
    const response = await inject(holder, 'GET', `/api/v1/datastore/${other.table}/records`);
    expect(response.statusCode).toBe(403);
    expect((response.json() as { code: string }).code).toBe('DATASTORE_GRANT_REQUIRED');
    expect(await lastRefusal()).toMatchObject({ reason: 'grant-required' });
  });

  it('stops at the grant’s end, and at its revocation, from the next request on', async () => {
    expect((await inject(holder, 'GET', `/api/v1/datastore/${c.table}/records`)).statusCode).toBe(200);
    // The grant's end comes: moved into the past rather than waited for.
    await t.platform.db.kysely
      .updateTable('access_grants')
      .set({ valid_from: new Date(Date.now() - 86_400_000), valid_until: new Date(Date.now() - 1000) })
      .where('id', '=', grantId)
      .execute();
    // The sweep records the end (the platform runs it every minute); before it, the policy already refuses
    // a grant past its end (shown on the policy function below).
    expect(await t.platform.access.expireGrants()).toBeGreaterThanOrEqual(1);
    const expired = await inject(holder, 'GET', `/api/v1/datastore/${c.table}/records`);
    expect(expired.statusCode).toBe(403);
    expect((expired.json() as { code: string }).code).toBe('DATASTORE_GRANT_EXPIRED');

    const second = await grant(holder, c.code, c.grade, 'open', ['records']);
    expect((await inject(holder, 'GET', `/api/v1/datastore/${c.table}/records`)).statusCode).toBe(200);
    const revoked = await inject(
      callers['transport-admin'],
      'POST',
      `/api/v1/access/grants/${second}/revoke`,
      {
        reason: '用途与申请不符',
      },
    );
    expect(revoked.statusCode, revoked.body).toBe(200);
    const after = await inject(holder, 'GET', `/api/v1/datastore/${c.table}/records`);
    expect(after.statusCode).toBe(403);
    expect((after.json() as { code: string }).code).toBe('DATASTORE_GRANT_REVOKED');
    expect(await lastRefusal()).toMatchObject({ reason: 'grant-revoked' });
  });

  it('waits for the start of the grant’s period', async () => {
    const later = await newAccount('grant-later');
    const start = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const applied = await inject(later, 'POST', '/api/v1/access/applications', {
      kind: 'open',
      entryCode: c.code,
      applicantKind: 'individual',
      applicantName: '赵同学',
      purpose: '下学期的课程作业',
      scenario: '教学',
      fields: ['route_name'],
      operations: ['records'],
      periodStart: start,
      periodEnd: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      securityMeasures: '仅课程使用',
      termsVersion,
      acceptTerms: true,
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const id = (applied.json() as { id: string }).id;
    const reviewed = await inject(
      callers['transport-admin'],
      'POST',
      `/api/v1/access/applications/${id}/review`,
      {
        decision: 'approve',
      },
    );
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    const early = await inject(later, 'GET', `/api/v1/datastore/${c.table}/records`);
    expect(early.statusCode).toBe(403);
    expect((early.json() as { code: string }).code).toBe('DATASTORE_GRANT_NOT_STARTED');
  });

  it('works with an API token as with the web app', async () => {
    const session = (await newAccount('token-holder-2')) as Caller & { userId: string };
    await grant(session, c.code, c.grade, 'open', ['records']);
    const created = await inject(session, 'POST', '/api/v1/me/tokens', {
      name: 'analysis script',
      scopes: ['access:use'],
      expiresInDays: 30,
    });
    expect(created.statusCode, created.body).toBe(201);
    const token = (created.json() as { token: string }).token;
    const response = await t.platform.app.inject({
      method: 'GET',
      url: `/api/v1/datastore/${c.table}/records`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode, response.body).toBe(200);
  });
});

describe('usage', () => {
  it('counts reads by others per entry, channel and caller for the provider, and city-wide', async () => {
    const open = cases.find((x) => x.openType === 'unconditional' && x.shareType === 'not_shared')!;
    const before = (
      await inject(callers['transport-admin'], 'GET', `/api/v1/usage/organizations/${transport.id}?days=7`)
    ).json() as {
      entries: { entryCode: string; count: number; channels: Record<string, number> }[];
    };
    const was = before.entries.find((e) => e.entryCode === open.code)?.channels ?? {};
    await inject(undefined, 'GET', `/api/v1/datastore/${open.table}/records`);
    await inject(callers['company-admin'], 'GET', `/api/v1/datastore/${open.table}/download`);
    await inject(callers['haidian-member'], 'GET', `/api/v1/datastore/${open.table}/aggregate?groupBy=fare`);
    // The provider's own reads are not counted.
    await inject(callers['transport-editor'], 'GET', `/api/v1/datastore/${open.table}/records`);
    const view = await inject(
      callers['transport-admin'],
      'GET',
      `/api/v1/usage/organizations/${transport.id}?days=7`,
    );
    expect(view.statusCode, view.body).toBe(200);
    const usage = view.json() as {
      entries: { entryCode: string; count: number; channels: Record<string, number> }[];
      callers: { kind: string; organizationId: string | null; count: number }[];
      series: { day: string; count: number }[];
    };
    const now = usage.entries.find((e) => e.entryCode === open.code)!.channels;
    expect((now.records ?? 0) - (was.records ?? 0)).toBe(1);
    expect((now.download ?? 0) - (was.download ?? 0)).toBe(1);
    expect((now.aggregate ?? 0) - (was.aggregate ?? 0)).toBe(1);
    expect(usage.callers.some((x) => x.kind === 'institution' && x.organizationId === haidian.id)).toBe(true);
    expect(usage.series.length).toBeGreaterThan(0);

    const top = (await inject(undefined, 'GET', '/api/v1/usage/top?days=7&limit=50')).json() as {
      items: { entryCode: string; count: number }[];
    };
    expect(top.items.some((i) => i.entryCode === open.code)).toBe(true);
    // Not-open entries' usage is not public.
    const hidden = cases.find((x) => x.grade === 'core')!;
    expect(top.items.some((i) => i.entryCode === hidden.code)).toBe(false);
    // Others' usage is for the provider and the oversight roles only.
    expect(
      (await inject(callers['haidian-member'], 'GET', `/api/v1/usage/organizations/${transport.id}`))
        .statusCode,
    ).toBe(403);
    expect((await inject(undefined, 'GET', `/api/v1/usage/organizations/${transport.id}`)).statusCode).toBe(
      401,
    );
  });
});

describe('data of companies and other organisations (Art. 18 ¶2)', () => {
  it('are published and opened under the same terms, the company deciding on applications', async () => {
    const company = await organizationByCode(t, 'demo-tech');
    const companyAdmin = callers['company-admin']!;
    const entry = sampleEntry(company, {
      title: { zh: '共享单车停放点（企业数据）' },
      openType: 'conditional',
      openCondition: '用于城市规划研究',
      shareType: 'unconditional',
    });
    const { code } = await publishEntry(t, companyAdmin, companyAdmin, callers.operator!, entry);
    const table = await tableWithRows(t, companyAdmin, code, TABLE_CSV, 'spots');

    const researcher = await newAccount('company-data-user');
    const before = await inject(researcher, 'GET', `/api/v1/datastore/${table}/records`);
    expect(before.statusCode, before.body).toBe(403);
    const applied = await inject(researcher, 'POST', '/api/v1/access/applications', {
      kind: 'open',
      entryCode: code,
      applicantKind: 'individual',
      applicantName: '李研究员',
      purpose: '研究共享单车停放点的分布',
      scenario: '城市规划研究',
      fields: ['route_name'],
      operations: ['records'],
      periodStart: new Date().toISOString().slice(0, 10),
      periodEnd: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      securityMeasures: '仅在本机分析',
      termsVersion,
      acceptTerms: true,
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const id = (applied.json() as { id: string }).id;
    // The transport bureau is not the provider: it does not even see the application.
    expect(
      (
        await inject(callers['transport-admin'], 'POST', `/api/v1/access/applications/${id}/review`, {
          decision: 'approve',
        })
      ).statusCode,
    ).toBe(404);
    const reviewed = await inject(companyAdmin, 'POST', `/api/v1/access/applications/${id}/review`, {
      decision: 'approve',
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    const page = await inject(researcher, 'GET', `/api/v1/datastore/${table}/records`);
    expect(page.statusCode, page.body).toBe(200);
    expect((page.json() as { fields: { name: string }[] }).fields.map((f) => f.name)).toEqual(['route_name']);
    // Shared unconditionally: every institution reads it whole.
    const institution = await inject(callers['health-admin'], 'GET', `/api/v1/datastore/${table}/records`);
    expect((institution.json() as { fields: { name: string }[] }).fields.map((f) => f.name)).toEqual(
      ALL_FIELDS,
    );
  });
});

describe('the policy function', () => {
  const grantOf = (over: Partial<ReadGrant>): ReadGrant => ({
    id: 'g',
    kind: 'open',
    fields: ['a'],
    operations: ['records'],
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validUntil: new Date('2026-02-01T00:00:00Z'),
    state: 'active',
    ...over,
  });
  const at = (iso: string) => new Date(iso);

  it('reads a grant by its period, whatever its stored state says', () => {
    expect(grantDecision(['open'], [grantOf({})], at('2026-01-15T00:00:00Z')).access).toBe('granted');
    expect(grantDecision(['open'], [grantOf({})], at('2026-02-01T00:00:00Z'))).toEqual({
      access: 'none',
      refusal: 'grant-expired',
    });
    expect(grantDecision(['open'], [grantOf({})], at('2025-12-31T23:59:59Z'))).toEqual({
      access: 'none',
      refusal: 'grant-not-started',
    });
    expect(grantDecision(['open'], [grantOf({ state: 'revoked' })], at('2026-01-15T00:00:00Z'))).toEqual({
      access: 'none',
      refusal: 'grant-revoked',
    });
  });

  it('uses only grants of the kinds the terms allow, and joins those that are active', () => {
    const share = grantOf({ id: 's', kind: 'share', fields: ['b'], operations: ['download'] });
    expect(grantDecision(['open'], [share], at('2026-01-15T00:00:00Z'))).toEqual({
      access: 'none',
      refusal: 'grant-required',
    });
    const joined = grantDecision(['open', 'share'], [grantOf({}), share], at('2026-01-15T00:00:00Z'));
    expect([...(joined.scope?.fields ?? [])].sort()).toEqual(['a', 'b']);
    expect([...(joined.scope?.operations ?? [])].sort()).toEqual(['download', 'records']);
  });
});
