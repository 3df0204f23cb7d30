import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyInclusion } from '@datapolis/ledger';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;
let editor: Caller;
let admin: Caller;
let operator: Caller;
let citizen: Caller;
let healthAdmin: Caller;
let transport: { id: string; creditCode: string };

beforeAll(async () => {
  // The link check below probes a local server, which the platform refuses by default.
  t = await startTestPlatform({
    DATAPOLIS_LOGIN_MAX_FAILURES: '1000',
    DATAPOLIS_OUTBOUND_ALLOW_PRIVATE: 'true',
  });
  editor = await t.login('transport-editor');
  admin = await t.login('transport-admin');
  operator = await t.login('operator');
  citizen = await t.login('citizen');
  healthAdmin = await t.login('health-admin');
  transport = await organizationByCode(t, 'bjjtw');
});
afterAll(async () => t.close());

function inject(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  caller?: Caller,
  payload?: unknown,
  extra: Record<string, string> = {},
) {
  return t.platform.app.inject({
    method,
    url,
    headers: headers(caller, extra),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function ledgerSize(): Promise<number> {
  return t.platform.ledger.size();
}

describe('catalog entries against the catalog standard', () => {
  it('drafts an entry with a generated resource code, on the log in the same transaction', async () => {
    const before = await ledgerSize();
    const response = await inject(
      'POST',
      '/api/v1/catalog/entries',
      editor,
      sampleEntry(transport, { title: { zh: '北京市地铁站点' } }),
    );
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.code).toMatch(/^2-04-001-001-\d{6}$/);
    expect(body.state).toBe('draft');
    expect(body.version).toBe(1);
    expect(await ledgerSize()).toBe(before + 1);
  });

  it('answers invalid metadata with one message per field, in the reader language', async () => {
    const bad = sampleEntry(transport, {
      summary: { zh: '' },
      providerCreditCode: '11110000000021136',
      theme: 'space-travel',
      keywords: [],
    });
    for (const [lang, fragment] of [
      ['zh-CN', '请填写'],
      ['en', 'is required'],
      ['fr', 'est obligatoire'],
    ] as const) {
      const response = await inject('POST', '/api/v1/catalog/entries', editor, bad, {
        'accept-language': lang,
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json();
      expect(problem.code).toBe('CATALOG_ENTRY_INVALID');
      const paths = problem.errors.map((e: { path: string }) => e.path).sort();
      expect(paths).toEqual(['/keywords', '/providerCreditCode', '/summary/zh', '/theme']);
      expect(problem.errors.find((e: { path: string }) => e.path === '/summary/zh').message).toContain(
        fragment,
      );
    }
  });

  it('rejects unknown fields, wrong types and the opening rules of the regulation', async () => {
    const unknown = await inject('POST', '/api/v1/catalog/entries', editor, {
      ...sampleEntry(transport),
      colour: 'blue',
    });
    expect(unknown.statusCode).toBe(400);
    const coreOpen = await inject(
      'POST',
      '/api/v1/catalog/entries',
      editor,
      sampleEntry(transport, {
        informationItems: [
          { name: 'plate', type: 'string', grade: 'core', personalInfo: 'none', description: '车牌' },
        ],
      }),
      { 'accept-language': 'en' },
    );
    expect(coreOpen.statusCode).toBe(400);
    expect(coreOpen.json().errors).toContainEqual({
      path: '/openType',
      message: 'Core data is never opened.',
    });
    const personal = await inject(
      'POST',
      '/api/v1/catalog/entries',
      editor,
      sampleEntry(transport, {
        informationItems: [
          {
            name: 'phone',
            type: 'string',
            grade: 'general-3',
            personalInfo: 'personal',
            description: '电话',
          },
        ],
      }),
      { 'accept-language': 'en' },
    );
    expect(personal.json().errors.map((e: { path: string }) => e.path)).toContain('/openType');
  });

  it("checks that the credit code is the provider's own, and keeps source IRIs to harvests", async () => {
    const other = await inject(
      'POST',
      '/api/v1/catalog/entries',
      editor,
      sampleEntry(transport, {
        title: { zh: '信用代码不符的条目' },
        providerCreditCode: '91110108MA01ABCD2X',
      }),
      { 'accept-language': 'en' },
    );
    expect(other.statusCode).toBe(400);
    const filled = await inject(
      'POST',
      '/api/v1/catalog/entries',
      editor,
      sampleEntry(transport, {
        title: { zh: '自动填写信用代码的条目' },
        providerCreditCode: '',
        sourceUri: 'https://elsewhere.example/ds/1',
        distributions: [
          {
            id: 'd1',
            kind: 'file',
            title: { zh: '甲' },
            format: 'CSV',
            url: 'https://data.example.org/a.csv',
          },
          { id: '', kind: 'file', title: { zh: '乙' }, format: 'CSV', url: 'https://data.example.org/b.csv' },
          {
            id: 'd1',
            kind: 'file',
            title: { zh: '丙' },
            format: 'CSV',
            url: 'https://data.example.org/c.csv',
          },
        ],
      }),
    );
    expect(filled.statusCode).toBe(201);
    const metadata = filled.json().metadata;
    expect(metadata.providerCreditCode).toBe(transport.creditCode);
    expect(metadata.sourceUri).toBeUndefined();
    expect(metadata.distributions.map((d: { id: string }) => d.id)).toEqual(['d1', 'd2', 'd3']);
  });

  it('takes the highest grade of the fields as the dataset grade', async () => {
    const response = await inject(
      'POST',
      '/api/v1/catalog/entries',
      editor,
      sampleEntry(transport, {
        title: { zh: '出租车运营记录' },
        openType: 'conditional',
        openCondition: '用于交通研究',
        informationItems: [
          {
            name: 'trip_id',
            type: 'string',
            grade: 'general-1',
            personalInfo: 'none',
            description: '行程编号',
          },
          {
            name: 'driver_id',
            type: 'string',
            grade: 'general-4',
            personalInfo: 'personal',
            description: '司机编号',
          },
        ],
        grade: 'general-1',
      }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().metadata.grade).toBe('general-4');
  });

  it('refuses a duplicate resource code as a conflict and keeps nothing of the second save', async () => {
    const entry = sampleEntry(transport, { code: '2-04-001-001-900001', title: { zh: '共享单车停放区' } });
    expect((await inject('POST', '/api/v1/catalog/entries', editor, entry)).statusCode).toBe(201);
    const before = await ledgerSize();
    const again = await inject('POST', '/api/v1/catalog/entries', editor, {
      ...entry,
      title: { zh: '另一个条目' },
    });
    expect(again.statusCode).toBe(409);
    expect(await ledgerSize()).toBe(before);
  });

  it('lets only the institution edit its own entries', async () => {
    const response = await inject(
      'POST',
      '/api/v1/catalog/entries',
      healthAdmin,
      sampleEntry(transport, { title: { zh: '越权条目' } }),
    );
    expect(response.statusCode).toBe(403);
    const anonymous = await inject('POST', '/api/v1/catalog/entries', undefined, sampleEntry(transport));
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('the catalog workflow', () => {
  it('draft, submit, return with comments, fix, resubmit, approve, publish; drafts stay private', async () => {
    const created = await inject(
      'POST',
      '/api/v1/catalog/entries',
      editor,
      sampleEntry(transport, { title: { zh: '北京市停车场信息' } }),
    );
    const { id, code } = created.json();
    expect((await inject('GET', `/api/v1/catalog/entries/${code}`)).statusCode).toBe(404);
    expect((await inject('GET', `/api/v1/catalog/entries/${code}`, editor)).json().working.state).toBe(
      'draft',
    );

    // An editor cannot submit; the admin can.
    expect(
      (
        await inject('POST', '/api/v1/catalog/submissions', editor, {
          organizationId: transport.id,
          entryIds: [id],
        })
      ).statusCode,
    ).toBe(403);
    const submission = await inject('POST', '/api/v1/catalog/submissions', admin, {
      organizationId: transport.id,
      entryIds: [id],
    });
    expect(submission.statusCode).toBe(201);
    const submissionId = submission.json().id;

    // Under review the entry is locked.
    expect(
      (await inject('PUT', `/api/v1/catalog/entries/${code}`, editor, sampleEntry(transport))).statusCode,
    ).toBe(409);

    const queue = await inject('GET', '/api/v1/catalog/submissions?state=pending', operator);
    expect(queue.json().items.map((s: { id: string }) => s.id)).toContain(submissionId);
    expect(
      (await inject('POST', `/api/v1/catalog/submissions/${submissionId}/return`, operator, {})).statusCode,
    ).toBe(400);
    const returned = await inject('POST', `/api/v1/catalog/submissions/${submissionId}/return`, operator, {
      comment: '请补充英文摘要',
      entryComments: [{ entryId: id, comment: '停车场数量需要更新' }],
    });
    expect(returned.json().state).toBe('returned');
    const detail = (await inject('GET', `/api/v1/catalog/entries/${code}`, editor)).json();
    expect(detail.working.state).toBe('returned');
    expect(detail.returned.entryComment).toBe('停车场数量需要更新');

    const fixed = await inject(
      'PUT',
      `/api/v1/catalog/entries/${code}?expectedVersion=1`,
      editor,
      sampleEntry(transport, { title: { zh: '北京市停车场信息', en: 'Beijing car parks' } }),
    );
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().version).toBe(2);
    // A stale edit is refused.
    expect(
      (
        await inject(
          'PUT',
          `/api/v1/catalog/entries/${code}?expectedVersion=1`,
          editor,
          sampleEntry(transport),
        )
      ).statusCode,
    ).toBe(409);

    const second = await inject('POST', '/api/v1/catalog/submissions', admin, {
      organizationId: transport.id,
      entryIds: [id],
      comment: '已补充英文名称',
    });
    expect(
      (await inject('POST', `/api/v1/catalog/submissions/${second.json().id}/approve`, editor, {}))
        .statusCode,
    ).toBe(403);
    const approved = await inject(
      'POST',
      `/api/v1/catalog/submissions/${second.json().id}/approve`,
      operator,
      {},
    );
    expect(approved.json().state).toBe('approved');
    // The institution's note and the reviewer's comment are kept apart.
    const decided = await inject(
      'POST',
      `/api/v1/catalog/submissions/${second.json().id}/approve`,
      operator,
      {},
    );
    expect(decided.statusCode).toBe(409);
    const kept = (await inject('GET', `/api/v1/catalog/submissions/${second.json().id}`, admin)).json();
    expect(kept.comment).toBe('已补充英文名称');
    const firstReview = (await inject('GET', `/api/v1/catalog/submissions/${submissionId}`, admin)).json();
    expect(firstReview.reviewComment).toBe('请补充英文摘要');

    const publicView = await inject('GET', `/api/v1/catalog/entries/${code}`);
    expect(publicView.statusCode).toBe(200);
    expect(publicView.json().entry.metadata.title.en).toBe('Beijing car parks');
    expect(publicView.json().entry.version).toBe(2);
  });

  it('keeps serving the published version while a new one is drafted, with history, diff and proofs', async () => {
    const { code } = await publishEntry(
      t,
      editor,
      admin,
      operator,
      sampleEntry(transport, { title: { zh: '北京市公交站点' } }),
    );
    const edited = await inject(
      'PUT',
      `/api/v1/catalog/entries/${code}`,
      editor,
      sampleEntry(transport, { title: { zh: '北京市公交站点（含换乘）' }, keywords: ['公交', '换乘'] }),
    );
    expect(edited.json().version).toBe(2);
    const publicView = (await inject('GET', `/api/v1/catalog/entries/${code}`)).json();
    expect(publicView.entry.metadata.title.zh).toBe('北京市公交站点');
    expect(publicView.entry.state).toBe('published');
    expect(publicView.working).toBeUndefined();

    // The public history lists published versions only; the provider sees every version.
    expect(
      (await inject('GET', `/api/v1/catalog/entries/${code}/versions`))
        .json()
        .map((v: { version: number }) => v.version),
    ).toEqual([1]);
    expect(
      (await inject('GET', `/api/v1/catalog/entries/${code}/versions`, editor))
        .json()
        .map((v: { version: number }) => v.version),
    ).toEqual([2, 1]);

    const diff = (await inject('GET', `/api/v1/catalog/entries/${code}/diff?from=1&to=2`, editor)).json();
    expect(diff.changes).toContainEqual({
      path: '/title/zh',
      before: '北京市公交站点',
      after: '北京市公交站点（含换乘）',
    });
    expect(diff.changes).toContainEqual({
      path: '/keywords',
      before: ['公交', 'bus', '线路'],
      after: ['公交', '换乘'],
    });
    expect((await inject('GET', `/api/v1/catalog/entries/${code}/diff?from=1&to=2`)).statusCode).toBe(404);

    const proof = (await inject('GET', `/api/v1/catalog/entries/${code}/versions/1/proof`)).json();
    const entry = JSON.parse(proof.ledgerEntry.entry);
    expect(entry.action).toBe('catalog.entry.published');
    expect(entry.hashes.content).toBe(proof.contentHash);
    const ok = verifyInclusion(
      Buffer.from(proof.ledgerEntry.leafHash, 'base64'),
      proof.inclusion.index,
      proof.inclusion.treeSize,
      proof.inclusion.auditPath.map((p: string) => Buffer.from(p, 'base64')),
      Buffer.from(proof.treeHead.rootHash, 'base64'),
    );
    expect(ok).toBe(true);
  });

  it('retires an entry: it leaves search, its history stays', async () => {
    const { code } = await publishEntry(
      t,
      editor,
      admin,
      operator,
      sampleEntry(transport, { title: { zh: '临时交通管制信息' } }),
    );
    const browsed = async () => (await inject('GET', '/api/v1/catalog/entries?limit=0')).json();
    const before = await browsed();
    expect(
      (await inject('POST', `/api/v1/catalog/entries/${code}/retire`, editor, { reason: '已停止更新' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await inject('POST', `/api/v1/catalog/entries/${code}/retire`, admin, { reason: '已停止更新' }))
        .statusCode,
    ).toBe(200);
    expect((await inject('GET', `/api/v1/catalog/entries/${code}`)).statusCode).toBe(404);
    const after = await browsed();
    expect(after.total).toBe(before.total - 1);
    const transportCount = (r: { facets: { organization: { value: string; count: number }[] } }) =>
      r.facets.organization.find((f) => f.value === 'bjjtw')?.count ?? 0;
    expect(transportCount(after)).toBe(transportCount(before) - 1);
    const search = await inject('GET', `/api/v1/catalog/entries?q=${encodeURIComponent('临时交通管制')}`);
    expect(search.json().total).toBe(0);
    expect((await inject('GET', `/api/v1/catalog/entries/${code}/versions`, admin)).json()).toHaveLength(1);
  });

  it('writes nothing when the log write fails inside the same transaction', async () => {
    const countBefore = await sql<{ n: string }>`SELECT count(*) AS n FROM catalog_entries`.execute(
      t.platform.db.kysely,
    );
    const size = await ledgerSize();
    await sql`CREATE OR REPLACE FUNCTION fail_ledger() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'ledger down'; END $$ LANGUAGE plpgsql`.execute(
      t.platform.db.kysely,
    );
    await sql`CREATE TRIGGER fail_ledger BEFORE INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION fail_ledger()`.execute(
      t.platform.db.kysely,
    );
    try {
      const response = await inject(
        'POST',
        '/api/v1/catalog/entries',
        editor,
        sampleEntry(transport, { title: { zh: '不会保存的条目' } }),
      );
      expect(response.statusCode).toBe(500);
    } finally {
      await sql`DROP TRIGGER fail_ledger ON ledger_entries`.execute(t.platform.db.kysely);
    }
    const countAfter = await sql<{ n: string }>`SELECT count(*) AS n FROM catalog_entries`.execute(
      t.platform.db.kysely,
    );
    expect(countAfter.rows[0]!.n).toBe(countBefore.rows[0]!.n);
    expect(await ledgerSize()).toBe(size);
  });
});

describe('objections and quality', () => {
  it('lets any signed-in user object; the provider answers; state and response time are public', async () => {
    const { code } = await publishEntry(
      t,
      editor,
      admin,
      operator,
      sampleEntry(transport, { title: { zh: '北京市路况信息' } }),
    );
    expect(
      (await inject('POST', `/api/v1/catalog/entries/${code}/objections`, undefined, { message: '数据有误' }))
        .statusCode,
    ).toBe(401);
    const filed = await inject('POST', `/api/v1/catalog/entries/${code}/objections`, citizen, {
      field: 'lastUpdate',
      message: '最近更新日期与实际不符',
    });
    expect(filed.statusCode).toBe(201);
    const objectionId = filed.json().id;
    expect(
      (
        await inject('POST', `/api/v1/catalog/objections/${objectionId}/answer`, healthAdmin, {
          resolution: 'accepted',
          response: 'x1',
        })
      ).statusCode,
    ).toBe(403);
    const answered = await inject('POST', `/api/v1/catalog/objections/${objectionId}/answer`, editor, {
      resolution: 'accepted',
      response: '已更正更新日期',
    });
    expect(answered.statusCode).toBe(200);
    expect(answered.json().state).toBe('accepted');
    const publicList = (await inject('GET', `/api/v1/catalog/entries/${code}/objections`)).json();
    expect(publicList.items[0].state).toBe('accepted');
    expect(typeof publicList.items[0].responseHours).toBe('number');
    expect(publicList.items[0].reporterId).toBeUndefined();
    expect(
      (
        await inject('POST', `/api/v1/catalog/objections/${objectionId}/answer`, editor, {
          resolution: 'rejected',
          response: 'again',
        })
      ).statusCode,
    ).toBe(409);
  });

  it('flags overdue entries and lists what to fix, most urgent first', async () => {
    const old = new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10);
    await inject(
      'POST',
      '/api/v1/catalog/entries',
      editor,
      sampleEntry(transport, {
        title: { zh: '逾期未更新的条目' },
        releaseDate: '2024-01-01',
        lastUpdate: old,
        updateCycle: 'monthly',
      }),
    );
    const dashboard = await inject('GET', `/api/v1/catalog/institutions/${transport.id}/quality`, editor);
    expect(dashboard.statusCode).toBe(200);
    const body = dashboard.json();
    expect(body.overdue).toBeGreaterThanOrEqual(1);
    expect(body.todo[0].severity).toBe(3);
    const overdue = body.todo.find((i: { kind: string }) => i.kind === 'overdue');
    expect(overdue.amount).toBeGreaterThan(100);
    expect(
      (await inject('GET', `/api/v1/catalog/institutions/${transport.id}/quality`, healthAdmin)).statusCode,
    ).toBe(403);
  });
});

describe('reachable resources', () => {
  it('checks distribution links and counts broken ones against the entry quality', async () => {
    const server = createServer((request, response) => {
      response.statusCode = request.url === '/ok.csv' ? 200 : 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { code } = await publishEntry(
        t,
        editor,
        admin,
        operator,
        sampleEntry(transport, {
          title: { zh: '北京市公共自行车站点' },
          distributions: [
            { id: 'd1', kind: 'file', title: { zh: '站点 CSV' }, format: 'CSV', url: `${base}/ok.csv` },
            { id: 'd2', kind: 'file', title: { zh: '旧文件' }, format: 'CSV', url: `${base}/gone.csv` },
          ],
        }),
      );
      const before = (await inject('GET', `/api/v1/catalog/entries/${code}`)).json().quality.score;
      expect(
        (await inject('POST', '/api/v1/catalog/link-checks', editor, { organizationId: transport.id }))
          .statusCode,
      ).toBe(403);
      expect((await inject('POST', '/api/v1/catalog/link-checks', admin, {})).statusCode).toBe(403);
      const queued = await inject('POST', '/api/v1/catalog/link-checks', admin, {
        organizationId: transport.id,
      });
      expect(queued.statusCode).toBe(202);
      while (await t.platform.jobs.runOnce()) {
        // run the check to its end
      }
      const after = (await inject('GET', `/api/v1/catalog/entries/${code}`)).json().quality;
      expect(after.score).toBeLessThan(before);
      expect(after.issues).toContainEqual({ kind: 'unreachable', severity: 3, amount: 1 });
      const dashboard = (
        await inject('GET', `/api/v1/catalog/institutions/${transport.id}/quality`, admin)
      ).json();
      expect(
        dashboard.todo.some(
          (i: { kind: string; code: string }) => i.kind === 'unreachable' && i.code === code,
        ),
      ).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe('the catalog standard is configuration', () => {
  it('lets the operator add a required field, and every save then checks it', async () => {
    const extension = {
      rules: [
        {
          path: 'extras.budgetCode',
          label: { zh: '预算编码', en: 'Budget code', fr: 'Code budgétaire' },
          required: true,
          pattern: '^[0-9]{6}$',
        },
      ],
      codeLists: { themes: [{ code: 'space', label: { zh: '航天', en: 'Space', fr: 'Espace' } }] },
    };
    expect((await inject('PUT', '/api/v1/catalog/profile', editor, extension)).statusCode).toBe(403);
    const updated = await inject('PUT', '/api/v1/catalog/profile', operator, extension);
    expect(updated.statusCode).toBe(200);
    expect(updated.json().codeLists.themes.map((t: { code: string }) => t.code)).toContain('space');
    const missing = await inject(
      'POST',
      '/api/v1/catalog/entries',
      editor,
      sampleEntry(transport, { theme: 'space' }),
      { 'accept-language': 'en' },
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([
      { path: '/extras/budgetCode', message: 'Budget code is required.' },
    ]);
    const withIt = await inject(
      'POST',
      '/api/v1/catalog/entries',
      editor,
      sampleEntry(transport, { theme: 'space', extras: { budgetCode: '123456' } }),
    );
    expect(withIt.statusCode).toBe(201);
    const fixed = await inject('PUT', '/api/v1/catalog/profile', operator, {
      codeLists: { grades: [{ code: 'secret', label: { zh: '秘密', en: 'Secret', fr: 'Secret' } }] },
    });
    expect(fixed.statusCode).toBe(400);
    expect(fixed.json().errors[0].path).toBe('/codeLists/grades');
    const broken = await inject('PUT', '/api/v1/catalog/profile', operator, {
      rules: [{ path: 'nonsense', label: { zh: 'x', en: 'x', fr: 'x' } }],
    });
    expect(broken.statusCode).toBe(400);
    // Back to the default for the other tests.
    expect((await inject('PUT', '/api/v1/catalog/profile', operator, {})).statusCode).toBe(200);
  });
});
