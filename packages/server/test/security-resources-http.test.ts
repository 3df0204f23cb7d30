// Scans, risk assessments and de-identified derivations of real data tables, over HTTP: the rows are read
// through the datastore as their caller, the long work runs as jobs, and a derived table of personal
// information is served beyond its provider only as far as its risk assessment passed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntryMetadata } from '../src/modules/catalog/index.ts';
import { releaseCleared, scenarioNeeded } from '../src/modules/datastore/datastore.policy.ts';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { drainJobs, tableWithRows } from './support/tables.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;
const c: Record<string, Caller> = {};
let sourceTable: string;
let targetCode: string;
let sourceCode: string;

/** Check digit of a resident identity number (ISO 7064 MOD 11-2). */
function residentId(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return body17 + '10X98765432'[sum % 11]!;
}

/** 60 residents: district, age, sex, an identity number, a phone and a diagnosis. */
function residentsCsv(): string {
  const districts = ['东城区', '西城区', '朝阳区', '海淀区'];
  const diagnoses = ['感冒', '高血压', '糖尿病'];
  const lines = ['district,age,sex,id_number,phone,diagnosis'];
  for (let i = 0; i < 60; i++) {
    const age = 20 + ((i * 7) % 50);
    const birth = `${2026 - age}0${1 + (i % 9)}1${i % 10}`;
    lines.push(
      [
        districts[i % 4],
        age,
        i % 2 === 0 ? '男' : '女',
        residentId(`110101${birth}${String(100 + i).slice(-3)}`),
        `13${String(800_000_000 + i * 7919).slice(0, 9)}`,
        diagnoses[i % 3],
      ].join(','),
    );
  }
  return lines.join('\n');
}

const PERSONAL_ITEMS: EntryMetadata['informationItems'] = [
  { name: 'district', type: 'string', description: '居住区', grade: 'general-2', personalInfo: 'personal' },
  { name: 'age', type: 'integer', description: '年龄', grade: 'general-2', personalInfo: 'personal' },
  { name: 'sex', type: 'string', description: '性别', grade: 'general-2', personalInfo: 'personal' },
  {
    name: 'id_number',
    type: 'string',
    title: { zh: '身份证号' },
    description: '居民身份证号码',
    grade: 'general-3',
    personalInfo: 'sensitive',
  },
  { name: 'phone', type: 'string', description: '联系电话', grade: 'general-3', personalInfo: 'personal' },
  { name: 'diagnosis', type: 'string', description: '诊断', grade: 'general-3', personalInfo: 'sensitive' },
];

/** The transparency-log entries whose action starts with `prefix`. */
async function logged(prefix: string): Promise<{ action: string; details?: Record<string, unknown> }[]> {
  const rows = await t.platform.db.kysely
    .selectFrom('ledger_entries')
    .select('entry')
    .orderBy('idx')
    .execute();
  return rows
    .map((r) => JSON.parse(r.entry) as { action: string; details?: Record<string, unknown> })
    .filter((e) => e.action.startsWith(prefix));
}

async function call(caller: Caller | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.platform.app.inject({
    method,
    url,
    headers: headers(caller),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_LOGIN_MAX_FAILURES: '1000' });
  for (const name of [
    'operator',
    'security',
    'transport-admin',
    'transport-editor',
    'citizen',
    'health-admin',
  ])
    c[name] = await t.login(name);
  const transport = await organizationByCode(t, 'bjjtw');
  const source = await publishEntry(
    t,
    c['transport-editor']!,
    c['transport-admin']!,
    c.operator!,
    sampleEntry(transport, {
      title: { zh: '公交卡实名用户就诊抽样' },
      openType: 'not_open',
      shareType: 'not_shared',
      grade: 'general-3',
      informationItems: PERSONAL_ITEMS,
    }),
  );
  sourceCode = source.code;
  sourceTable = await tableWithRows(t, c['transport-editor']!, source.code, residentsCsv(), 'residents');
  // The derived table goes under an entry opened unconditionally, describing de-identified fields: only
  // the derivation's risk report can let it out.
  const target = await publishEntry(
    t,
    c['transport-editor']!,
    c['transport-admin']!,
    c.operator!,
    sampleEntry(transport, {
      title: { zh: '就诊抽样（去标识化）' },
      openType: 'unconditional',
      shareType: 'unconditional',
      grade: 'general-2',
      informationItems: PERSONAL_ITEMS.map((i) => ({ ...i, grade: 'general-2', personalInfo: 'none' })),
    }),
  );
  targetCode = target.code;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('scans', () => {
  it('scans every row of a table as a job and proposes each field’s category', async () => {
    const asked = await call(c['transport-editor'], 'POST', '/api/v1/security/scans', {
      resourceId: sourceTable,
    });
    expect(asked.statusCode, asked.body).toBe(202);
    const scan = asked.json() as { id: string; state: string; jobId: string };
    expect(scan.state).toBe('queued');
    await drainJobs(t);
    const done = (await call(c['transport-editor'], 'GET', `/api/v1/security/scans/${scan.id}`)).json() as {
      state: string;
      report: {
        rowsScanned: number;
        columns: { name: string; holds?: string; proposal: { personalInfo: string } }[];
      };
    };
    expect(done.state).toBe('done');
    expect(done.report.rowsScanned).toBe(60);
    const byName = new Map(done.report.columns.map((col) => [col.name, col]));
    expect(byName.get('id_number')?.holds).toBe('resident-id');
    expect(byName.get('id_number')?.proposal.personalInfo).toBe('sensitive');
    expect(byName.get('phone')?.holds).toBe('mobile');
    expect(byName.get('age')?.proposal.personalInfo).toBe('none');
    const listed = (
      await call(c.security, 'GET', `/api/v1/security/scans?resourceId=${sourceTable}`)
    ).json() as { items: { id: string }[] };
    expect(listed.items.map((s) => s.id)).toContain(scan.id);
    // The catalog editor reads the proposals by entry.
    const byEntry = (
      await call(c['transport-editor'], 'GET', `/api/v1/security/scans?entryCode=${sourceCode}`)
    ).json() as { items: { id: string }[] };
    expect(byEntry.items[0]?.id).toBe(scan.id);
    expect((await call(c.citizen, 'GET', `/api/v1/security/scans?entryCode=${sourceCode}`)).statusCode).toBe(
      403,
    );
    expect((await call(c.security, 'GET', '/api/v1/security/scans')).statusCode).toBe(400);
    // The request and the result are both on the log.
    const log = await logged('security.scan.');
    expect(log.map((l) => l.action)).toEqual(
      expect.arrayContaining(['security.scan.requested', 'security.scan.completed']),
    );
  });

  it('scans a stated sample only', async () => {
    const asked = await call(c.security, 'POST', '/api/v1/security/scans', {
      resourceId: sourceTable,
      sample: 10,
    });
    expect(asked.statusCode, asked.body).toBe(202);
    await drainJobs(t);
    const done = (
      await call(c.security, 'GET', `/api/v1/security/scans/${(asked.json() as { id: string }).id}`)
    ).json() as {
      report: { rowsScanned: number };
    };
    expect(done.report.rowsScanned).toBe(10);
  });

  it('refuses those not answerable for the table', async () => {
    const citizen = await call(c.citizen, 'POST', '/api/v1/security/scans', { resourceId: sourceTable });
    expect(citizen.statusCode).toBe(403);
    expect(citizen.headers['content-type']).toContain('application/problem+json');
    const otherInstitution = await call(c['health-admin'], 'POST', '/api/v1/security/scans', {
      resourceId: sourceTable,
    });
    expect([403, 404]).toContain(otherInstitution.statusCode);
    const anonymous = await call(undefined, 'GET', `/api/v1/security/scans?resourceId=${sourceTable}`);
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('risk of a table as it is', () => {
  it('reports k and the prosecutor risk over the quasi-identifiers', async () => {
    const res = await call(c.security, 'POST', '/api/v1/security/risk', {
      resourceId: sourceTable,
      quasiIdentifiers: ['district', 'age', 'sex'],
      sensitive: ['diagnosis'],
      scenario: 'public-release',
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as {
      records: number;
      k: number;
      pass: boolean;
      prosecutor: { highest: number };
    };
    expect(report.records).toBe(60);
    // Ages step by 7 over 50 years with 4 districts and 2 sexes: most records are alone in their class.
    expect(report.k).toBe(1);
    expect(report.prosecutor.highest).toBe(1);
    expect(report.pass).toBe(false);
  });

  it('says which quasi-identifier does not exist', async () => {
    const res = await call(c.security, 'POST', '/api/v1/security/risk', {
      resourceId: sourceTable,
      quasiIdentifiers: ['district', 'birthday'],
    });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { code: string; detail: string }).detail).toContain('birthday');
  });

  it('finds generalisation levels that reach k-anonymity', async () => {
    const res = await call(c.security, 'POST', '/api/v1/security/risk/search', {
      resourceId: sourceTable,
      hierarchies: { age: { ranges: [10, 20, 40] }, sex: { csv: '男;*\n女;*\n' } },
      k: 5,
      maxSuppression: 0,
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as { levels: Record<string, number>; report: { k: number } };
    expect(result.report.k).toBeGreaterThanOrEqual(5);
  });
});

describe('derivations', () => {
  const plan = {
    fields: {
      id_number: { kind: 'hash' },
      phone: { kind: 'drop' },
      age: { kind: 'generalize', hierarchy: { ranges: [10, 20, 40] }, level: 3 },
      district: {
        kind: 'generalize',
        hierarchy: { csv: '东城区;北京市\n西城区;北京市\n朝阳区;北京市\n海淀区;北京市\n' },
        level: 1,
      },
    },
    risk: {
      quasiIdentifiers: ['district', 'age', 'sex'],
      sensitive: ['diagnosis'],
      scenario: 'public-release',
    },
  };

  async function derive(body: Record<string, unknown>) {
    const asked = await call(c['transport-editor'], 'POST', '/api/v1/security/derivations', body);
    expect(asked.statusCode, asked.body).toBe(202);
    await drainJobs(t);
    return (
      await call(
        c['transport-editor'],
        'GET',
        `/api/v1/security/derivations/${(asked.json() as { id: string }).id}`,
      )
    ).json() as {
      id: string;
      state: string;
      error: string | null;
      clearance: string | null;
      scenarios: Record<string, boolean>;
      target: { resourceId: string | null };
      report: { k: number; pass: boolean };
      lineage: Record<string, unknown>;
    };
  }

  it('makes a de-identified table, records its lineage without secrets, and lets it out as far as it passed', async () => {
    const made = await derive({
      ...plan,
      sourceResourceId: sourceTable,
      target: { entryCode: targetCode, name: '抽样（粗化）' },
    });
    expect(made.state, made.error ?? '').toBe('done');
    expect(made.report.k).toBeGreaterThanOrEqual(10);
    expect(made.clearance).not.toBeNull();
    const rows = (
      await call(
        c['transport-editor'],
        'GET',
        `/api/v1/datastore/${made.target.resourceId}/records?limit=100`,
      )
    ).json() as { records: Record<string, unknown>[] };
    expect(rows.records).toHaveLength(60);
    expect(rows.records[0]).not.toHaveProperty('phone');
    expect(String(rows.records[0]!.district)).toBe('北京市');
    expect(String(rows.records[0]!.id_number)).not.toMatch(/^\d{17}[\dX]$/);
    const lineage = JSON.stringify(made.lineage);
    expect(lineage).toContain(sourceTable);
    // The keyed-hash secret appears nowhere: not in the lineage, not on the log.
    const key = await t.platform.db.kysely
      .selectFrom('security_keys')
      .select('secret')
      .executeTakeFirstOrThrow();
    const secret = Buffer.from(key.secret);
    const logText = JSON.stringify(await logged('security.'));
    for (const form of [secret.toString('hex'), secret.toString('base64'), secret.toString('base64url')]) {
      expect(lineage).not.toContain(form);
      expect(logText).not.toContain(form);
    }
    const entries = await logged('security.derivation.completed');
    expect(JSON.stringify(entries.at(-1)?.details)).toContain(sourceTable);
    // Four classes of 12 to 18 records: past the conditional-opening thresholds, not the public-release
    // ones (its marketer risk, 4/60, is above 0.05). Institutions read it as shared data; the public does not.
    expect(made.scenarios).toEqual({
      'internal-sharing': true,
      'data-zone': true,
      'conditional-opening': true,
      'public-release': false,
    });
    expect(made.clearance).toBe('conditional-opening');
    const url = `/api/v1/datastore/${made.target.resourceId}/records`;
    expect((await call(c['health-admin'], 'GET', url)).statusCode).toBe(200);
    const anonymous = await call(undefined, 'GET', url);
    expect(anonymous.statusCode).toBe(403);
    expect((anonymous.json() as { code: string }).code).toBe('DATASTORE_RELEASE_NOT_CLEARED');
    const view = (
      await call(c['transport-editor'], 'GET', `/api/v1/datastore/resources/${made.target.resourceId}`)
    ).json() as {
      releaseClearance: string | null;
    };
    expect(view.releaseClearance).toBe('conditional-opening');
  });

  it('keeps a derivation that fails the scenario from being opened', async () => {
    const made = await derive({
      sourceResourceId: sourceTable,
      target: { entryCode: targetCode, name: '抽样（仅哈希）' },
      fields: { id_number: { kind: 'hash' }, phone: { kind: 'drop' } },
      risk: plan.risk,
    });
    expect(made.state).toBe('done');
    expect(made.report.pass).toBe(false);
    expect(made.scenarios['public-release']).toBe(false);
    expect(made.clearance).not.toBe('public-release');
    const url = `/api/v1/datastore/${made.target.resourceId}/records`;
    const anonymous = await call(undefined, 'GET', url);
    expect(anonymous.statusCode).toBe(403);
    expect((anonymous.json() as { code: string }).code).toBe('DATASTORE_RELEASE_NOT_CLEARED');
    const citizen = await call(c.citizen, 'GET', url);
    expect(citizen.statusCode).toBe(403);
    // Its provider still reads it.
    expect((await call(c['transport-editor'], 'GET', url)).statusCode).toBe(200);
  });

  it('leaves nothing half-made when a hierarchy does not cover every value', async () => {
    const before = await t.platform.db.kysely.selectFrom('datastore_resources').select('id').execute();
    const made = await derive({
      sourceResourceId: sourceTable,
      target: { entryCode: targetCode, name: '抽样（残缺层级）' },
      fields: {
        ...plan.fields,
        district: { kind: 'generalize', hierarchy: { csv: '东城区;北京市\n' }, level: 1 },
      },
      risk: plan.risk,
    });
    expect(made.state).toBe('failed');
    expect(made.error).toMatch(/西城区|cover/);
    expect(made.target.resourceId).toBeNull();
    const after = await t.platform.db.kysely.selectFrom('datastore_resources').select('id').execute();
    expect(after.length).toBe(before.length);
    // The message quotes the values missing from the hierarchy: the log keeps only its hash.
    const failed = (await logged('security.derivation.failed')).at(-1);
    expect(failed?.details).toEqual({ code: 'DEID_HIERARCHY_INCOMPLETE' });
    expect(JSON.stringify(await logged(''))).not.toContain('西城区');
  });

  it('refuses to keep personal information that the assessment does not cover', async () => {
    const res = await call(c['transport-editor'], 'POST', '/api/v1/security/derivations', {
      sourceResourceId: sourceTable,
      target: { entryCode: targetCode, name: '抽样（保留身份证号）' },
      fields: { phone: { kind: 'drop' } },
      risk: { quasiIdentifiers: ['district'], scenario: 'public-release' },
    });
    expect(res.statusCode).toBe(400);
    const paths = (res.json() as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/fields/id_number', '/fields/age', '/fields/sex']));
    expect(paths).not.toContain('/fields/district');
  });

  it('judges the clearance by the scenario’s thresholds, which a requester can tighten but not loosen', async () => {
    const loosened = await derive({
      ...plan,
      sourceResourceId: sourceTable,
      target: { entryCode: targetCode, name: '抽样（放宽阈值）' },
      risk: {
        ...plan.risk,
        thresholds: { k: 1, maxProsecutor: 1, maxJournalist: 1, maxMarketer: 1, maxUniqueShare: 1 },
      },
    });
    expect(loosened.state).toBe('done');
    expect(loosened.scenarios['public-release']).toBe(false);
    expect(loosened.clearance).toBe('conditional-opening');
    const tightened = await derive({
      ...plan,
      sourceResourceId: sourceTable,
      target: { entryCode: targetCode, name: '抽样（收紧阈值）' },
      risk: { ...plan.risk, scenario: 'data-zone', thresholds: { k: 20 } },
    });
    expect(tightened.report.k).toBeLessThan(20);
    expect(tightened.report.pass).toBe(false);
  });

  it('refuses a plan naming fields the table does not have, before any work', async () => {
    const res = await call(c['transport-editor'], 'POST', '/api/v1/security/derivations', {
      sourceResourceId: sourceTable,
      target: { entryCode: targetCode, name: 'x' },
      fields: { ...plan.fields, passport: { kind: 'drop' } },
      risk: {
        quasiIdentifiers: ['district', 'birthday', 'age', 'sex'],
        sensitive: ['diagnosis'],
        scenario: 'data-zone',
      },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(['/fields/passport', '/risk/quasiIdentifiers/1']);
  });
});

describe('grants on a de-identified table', () => {
  /** Applies for access as `caller` and has the provider approve it. */
  async function granted(caller: Caller, code: string, kind: 'open' | 'share', termsVersion: string) {
    const haidian = await organizationByCode(t, 'haidian');
    const today = new Date().toISOString().slice(0, 10);
    const applied = await call(caller, 'POST', '/api/v1/access/applications', {
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
      purpose: '研究就诊抽样数据的分布情况',
      scenario: '学术研究',
      fields: ['district', 'age', 'sex', 'diagnosis'],
      operations: ['records'],
      periodStart: today,
      periodEnd: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      securityMeasures: '加密存储，仅两人可访问',
      termsVersion,
      acceptTerms: true,
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const reviewed = await call(
      c['transport-admin'],
      'POST',
      `/api/v1/access/applications/${(applied.json() as { id: string }).id}/review`,
      { decision: 'approve' },
    );
    expect(reviewed.statusCode, reviewed.body).toBe(200);
  }

  it('lets in only the grants of a kind the table is cleared for', async () => {
    const transport = await organizationByCode(t, 'bjjtw');
    const entry = await publishEntry(
      t,
      c['transport-editor']!,
      c['transport-admin']!,
      c.operator!,
      sampleEntry(transport, {
        title: { zh: '就诊抽样（去标识化，有条件）' },
        openType: 'conditional',
        openCondition: '用于研究，需签署使用协议',
        shareType: 'conditional',
        shareCondition: '用于政务服务',
        grade: 'general-2',
        informationItems: PERSONAL_ITEMS.map((i) => ({ ...i, grade: 'general-2', personalInfo: 'none' })),
      }),
    );
    const table = await tableWithRows(t, c['transport-editor']!, entry.code, residentsCsv(), 'derived');
    // As a derivation whose assessment passed internal sharing only would be.
    await t.platform.db.kysely
      .transaction()
      .execute((trx) => t.platform.datastore.setReleaseClearance(trx, table, 'internal-sharing'));
    const termsVersion = (
      (await call(undefined, 'GET', '/api/v1/access/terms')).json() as { version: string }
    ).version;
    const member = await t.login('haidian-member');
    const url = `/api/v1/datastore/${table}/records?fields=district,age`;
    // An opening grant is conditional opening, which the table is not cleared for, institution or not.
    await granted(member, entry.code, 'open', termsVersion);
    const opening = await call(member, 'GET', url);
    expect(opening.statusCode).toBe(403);
    expect((opening.json() as { code: string }).code).toBe('DATASTORE_RELEASE_NOT_CLEARED');
    // A sharing grant of the member's institution is internal sharing: in.
    await granted(member, entry.code, 'share', termsVersion);
    expect((await call(member, 'GET', url)).statusCode).toBe(200);
  });
});

describe('release clearance, as the datastore policy reads it', () => {
  it('needs public release for open data, conditional opening for grants to open, internal sharing for institutions', () => {
    expect(scenarioNeeded({ access: 'open' }, [])).toBe('public-release');
    expect(scenarioNeeded({ access: 'shared' }, [])).toBe('internal-sharing');
    expect(scenarioNeeded({ access: 'granted' }, ['open'])).toBe('conditional-opening');
    // The datastore asks kind by kind, for the grants the caller actually holds.
    expect(scenarioNeeded({ access: 'granted' }, ['share'])).toBe('internal-sharing');
    expect(scenarioNeeded({ access: 'provider' }, [])).toBeUndefined();
    expect(scenarioNeeded({ access: 'oversight' }, [])).toBeUndefined();
  });

  it('serves a scenario only when the clearance is at least as strict', () => {
    expect(releaseCleared(null, 'public-release')).toBe(true);
    expect(releaseCleared('none', 'internal-sharing')).toBe(false);
    expect(releaseCleared('conditional-opening', 'public-release')).toBe(false);
    expect(releaseCleared('conditional-opening', 'conditional-opening')).toBe(true);
    expect(releaseCleared('conditional-opening', 'internal-sharing')).toBe(true);
    expect(releaseCleared('none', undefined)).toBe(true);
  });
});
