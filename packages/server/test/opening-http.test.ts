import { createHash } from 'node:crypto';
import { canonicalJson } from '@datapolis/ledger';
import { parse } from 'csv-parse/sync';
import { DataFactory } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntryMetadata } from '../src/modules/catalog/index.ts';
import { CITY_CSV_COLUMNS, cityDate } from '../src/modules/opening/index.ts';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { parseToStore } from './support/rdf.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

const { namedNode } = DataFactory;
const RDF_TYPE = namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type');
const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';

let t: TestPlatform;
let editor: Caller;
let admin: Caller;
let operator: Caller;
let auditor: Caller;
let citizen: Caller;
let healthAdmin: Caller;
let haidianMember: Caller;
let transport: { id: string; creditCode: string };
let health: { id: string; creditCode: string };

// Plans for the years either side of this one: every entry below is published today, so it opened late
// for last year's plan and on time for next year's, whatever day the test runs.
const THIS_YEAR = Number(cityDate(new Date()).slice(0, 4));
const PREV = THIS_YEAR - 1;
const NEXT = THIS_YEAR + 1;

/** Entries of the transport commission, by what they are for. */
const entries: Record<'open' | 'draft' | 'widened' | 'closed' | 'retired' | 'core', string> = {
  open: '',
  draft: '',
  widened: '',
  closed: '',
  retired: '',
  core: '',
};
let healthEntry = '';

function inject(method: 'GET' | 'POST' | 'PUT', url: string, caller?: Caller, payload?: unknown) {
  return t.platform.app.inject({
    method,
    url,
    headers: headers(caller),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function draftEntry(caller: Caller, entry: EntryMetadata): Promise<{ id: string; code: string }> {
  const created = await inject('POST', '/api/v1/catalog/entries', caller, entry);
  if (created.statusCode !== 201) throw new Error(`draft failed: ${created.body}`);
  return created.json();
}

/** Revises a published entry and publishes the new version. */
async function republish(id: string, entry: EntryMetadata): Promise<void> {
  const revised = await inject('PUT', `/api/v1/catalog/entries/${id}`, editor, entry);
  if (revised.statusCode !== 200) throw new Error(`revise failed: ${revised.body}`);
  const submitted = await inject('POST', '/api/v1/catalog/submissions', admin, {
    organizationId: transport.id,
    entryIds: [id],
  });
  if (submitted.statusCode !== 201) throw new Error(`submit failed: ${submitted.body}`);
  const approved = await inject(
    'POST',
    `/api/v1/catalog/submissions/${submitted.json().id}/approve`,
    operator,
    {},
  );
  if (approved.statusCode !== 200) throw new Error(`approve failed: ${approved.body}`);
}

async function publicationTimes(code: string): Promise<string[]> {
  const versions = (await inject('GET', `/api/v1/catalog/entries/${code}/versions`, editor)).json() as {
    version: number;
    publishedAt?: string;
  }[];
  return versions
    .filter((v) => v.publishedAt !== undefined)
    .sort((a, b) => a.version - b.version)
    .map((v) => v.publishedAt!);
}

async function ledgerSize(): Promise<number> {
  return t.platform.ledger.size();
}

async function lastLedgerEntry(): Promise<{
  action: string;
  hashes?: { content?: string };
  details?: Record<string, unknown>;
}> {
  const view = await t.platform.ledger.getEntry((await ledgerSize()) - 1);
  return typeof view.entry === 'string' ? JSON.parse(view.entry) : view.entry;
}

/** Creates, fills, submits and approves a plan; returns its id. */
async function approvedPlan(organizationId: string, year: number, items: unknown[]): Promise<string> {
  const created = await inject('POST', '/api/v1/opening/plans', editor, { organizationId, year });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect((await inject('PUT', `/api/v1/opening/plans/${id}/items`, editor, { items })).statusCode).toBe(200);
  expect((await inject('POST', `/api/v1/opening/plans/${id}/submit`, admin)).statusCode).toBe(200);
  const approved = await inject('POST', `/api/v1/opening/plans/${id}/review`, operator, {
    decision: 'approve',
  });
  expect(approved.statusCode, approved.body).toBe(200);
  return id;
}

beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_LOGIN_MAX_FAILURES: '1000' });
  editor = await t.login('transport-editor');
  admin = await t.login('transport-admin');
  operator = await t.login('operator');
  auditor = await t.login('auditor');
  citizen = await t.login('citizen');
  healthAdmin = await t.login('health-admin');
  haidianMember = await t.login('haidian-member');
  transport = await organizationByCode(t, 'bjjtw');
  health = await organizationByCode(t, 'bjwjw');

  const open = await publishEntry(t, editor, admin, operator, sampleEntry(transport));
  entries.open = open.code;
  entries.draft = (
    await draftEntry(editor, sampleEntry(transport, { title: { zh: '北京市综合客运枢纽' } }))
  ).code;
  // Published conditional first, then widened to unconditional in a second publication.
  const conditional = sampleEntry(transport, {
    title: { zh: '北京市公交车辆实时位置' },
    openType: 'conditional',
    openCondition: '签署数据使用协议',
  });
  const widened = await publishEntry(t, editor, admin, operator, conditional);
  entries.widened = widened.code;
  const { openCondition: _condition, ...rest } = conditional;
  await republish(widened.id, { ...rest, openType: 'unconditional' });
  entries.closed = (
    await publishEntry(
      t,
      editor,
      admin,
      operator,
      sampleEntry(transport, { title: { zh: '北京市轨道交通分时段断面客流' }, openType: 'not_open' }),
    )
  ).code;
  const retired = await publishEntry(
    t,
    editor,
    admin,
    operator,
    sampleEntry(transport, { title: { zh: '北京市定制公交线路' } }),
  );
  entries.retired = retired.code;
  const retiring = await inject('POST', `/api/v1/catalog/entries/${retired.code}/retire`, admin, {
    reason: '线路已并入常规公交',
  });
  expect(retiring.statusCode, retiring.body).toBe(200);
  entries.core = (
    await draftEntry(
      editor,
      sampleEntry(transport, {
        title: { zh: '北京市轨道交通信号系统运行数据' },
        grade: 'core',
        openType: 'not_open',
        shareType: 'not_shared',
      }),
    )
  ).code;
  healthEntry = (await draftEntry(healthAdmin, sampleEntry(health, { title: { zh: '北京市发热门诊' } })))
    .code;
});
afterAll(async () => t.close());

describe('an annual opening plan through its review', () => {
  let planId = '';
  const items = () => [
    { entryCode: entries.open, openType: 'unconditional', plannedDate: `${NEXT}-06-30` },
    {
      entryCode: entries.draft,
      openType: 'conditional',
      condition: '签署数据使用协议，限于约定场景使用',
      plannedDate: `${NEXT}-09-30`,
    },
  ];

  it('drafts a plan for a year, on the log', async () => {
    const before = await ledgerSize();
    const created = await inject('POST', '/api/v1/opening/plans', editor, {
      organizationId: transport.id,
      year: NEXT,
    });
    expect(created.statusCode, created.body).toBe(201);
    const plan = created.json();
    planId = plan.id;
    expect(plan).toMatchObject({
      organizationId: transport.id,
      organizationName: { zh: '北京市交通委员会', en: 'Beijing Municipal Commission of Transport' },
      year: NEXT,
      state: 'draft',
      comment: null,
      items: [],
      approvedItems: null,
      submittedAt: null,
      approvedAt: null,
    });
    expect(await ledgerSize()).toBe(before + 1);
    expect((await lastLedgerEntry()).action).toBe('opening.plan.created');
  });

  it('writes the items, logging the hash of the whole list', async () => {
    const before = await ledgerSize();
    const response = await inject('PUT', `/api/v1/opening/plans/${planId}/items`, editor, { items: items() });
    expect(response.statusCode, response.body).toBe(200);
    const plan = response.json();
    expect(plan.state).toBe('draft');
    expect(plan.items).toHaveLength(2);
    expect(plan.items[0]).toMatchObject({
      entryCode: entries.open,
      entryTitle: { zh: '北京市公交线路' },
      openType: 'unconditional',
      condition: null,
      plannedDate: `${NEXT}-06-30`,
      progress: 'opened_on_time',
    });
    expect(plan.items[1]).toMatchObject({ progress: 'planned', openedAt: null });
    expect(await ledgerSize()).toBe(before + 1);
    const logged = await lastLedgerEntry();
    expect(logged.action).toBe('opening.plan.items.changed');
    const stored = items().map((i) => ({ condition: null, ...i }));
    expect(logged.hashes?.content).toBe(createHash('sha256').update(canonicalJson(stored)).digest('hex'));

    // The same list again changes nothing and logs nothing.
    await inject('PUT', `/api/v1/opening/plans/${planId}/items`, editor, { items: items() });
    expect(await ledgerSize()).toBe(before + 1);
  });

  it('is submitted by an organisation admin only', async () => {
    expect((await inject('POST', `/api/v1/opening/plans/${planId}/submit`, editor)).statusCode).toBe(403);
    const before = await ledgerSize();
    const submitted = await inject('POST', `/api/v1/opening/plans/${planId}/submit`, admin);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().state).toBe('submitted');
    expect(submitted.json().submittedAt).toEqual(expect.any(String));
    expect(await ledgerSize()).toBe(before + 1);
    expect((await lastLedgerEntry()).action).toBe('opening.plan.submitted');
  });

  it('cannot be edited or submitted again while in review', async () => {
    const edit = await inject('PUT', `/api/v1/opening/plans/${planId}/items`, editor, { items: [] });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('OPENING_WRONG_STATE');
    const again = await inject('POST', `/api/v1/opening/plans/${planId}/submit`, admin);
    expect(again.json().code).toBe('OPENING_WRONG_STATE');
  });

  it('is returned by the big data centre only with a comment', async () => {
    expect(
      (await inject('POST', `/api/v1/opening/plans/${planId}/review`, admin, { decision: 'return' }))
        .statusCode,
    ).toBe(403);
    const bare = await inject('POST', `/api/v1/opening/plans/${planId}/review`, operator, {
      decision: 'return',
      comment: '  ',
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().code).toBe('VALIDATION_FAILED');
    const before = await ledgerSize();
    const returned = await inject('POST', `/api/v1/opening/plans/${planId}/review`, operator, {
      decision: 'return',
      comment: '请补充公交车辆实时位置的开放计划',
    });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({
      state: 'returned',
      comment: '请补充公交车辆实时位置的开放计划',
      approvedItems: null,
    });
    expect((await lastLedgerEntry()).action).toBe('opening.plan.returned');
    expect(await ledgerSize()).toBe(before + 1);
    // Not approved: the city-wide plan does not show it.
    expect((await inject('GET', `/api/v1/opening/city/${NEXT}`)).json().items).toEqual([]);
  });

  it('is fixed, submitted again and approved', async () => {
    const fixed = await inject('PUT', `/api/v1/opening/plans/${planId}/items`, editor, {
      items: [
        ...items(),
        {
          entryCode: entries.widened,
          openType: 'conditional',
          condition: '签署数据使用协议',
          plannedDate: `${NEXT}-03-31`,
        },
      ],
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().state).toBe('returned');
    expect((await inject('POST', `/api/v1/opening/plans/${planId}/submit`, admin)).statusCode).toBe(200);
    const before = await ledgerSize();
    const approved = await inject('POST', `/api/v1/opening/plans/${planId}/review`, operator, {
      decision: 'approve',
      comment: '同意',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const plan = approved.json();
    expect(plan.state).toBe('approved');
    expect(plan.approvedAt).toEqual(expect.any(String));
    expect(plan.approvedItems).toEqual(plan.items);
    expect(plan.items).toHaveLength(3);
    expect((await lastLedgerEntry()).action).toBe('opening.plan.approved');
    expect(await ledgerSize()).toBe(before + 1);
    // Decided: neither submitted nor reviewed again.
    expect((await inject('POST', `/api/v1/opening/plans/${planId}/submit`, admin)).statusCode).toBe(409);
    expect(
      (await inject('POST', `/api/v1/opening/plans/${planId}/review`, operator, { decision: 'approve' }))
        .statusCode,
    ).toBe(409);
  });

  it('is published on the public city page, by organisation, with totals', async () => {
    const response = await inject('GET', `/api/v1/opening/city/${NEXT}`);
    expect(response.statusCode).toBe(200);
    const city = response.json();
    expect(city.year).toBe(NEXT);
    expect(city.totals).toEqual({ items: 3, openedOnTime: 2, openedLate: 0, overdue: 0, planned: 1 });
    expect(city.organizations).toEqual([
      {
        organizationId: transport.id,
        organizationName: { zh: '北京市交通委员会', en: 'Beijing Municipal Commission of Transport' },
        totals: city.totals,
      },
    ]);
    // By planned date within the organisation.
    expect(city.items.map((i: { entryCode: string }) => i.entryCode)).toEqual([
      entries.widened,
      entries.open,
      entries.draft,
    ]);
    expect(city.items[0].organizationId).toBe(transport.id);
  });

  it('is published as CSV: UTF-8 with BOM, English header, one row per item, as a download', async () => {
    const response = await inject('GET', `/api/v1/opening/city/${NEXT}/plan.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="opening-plan-${NEXT}.csv"`);
    const bytes = response.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...CITY_CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const draftRow = rows.find((r) => r.entry_code === entries.draft)!;
    expect(draftRow).toMatchObject({
      year: String(NEXT),
      organization_id: transport.id,
      organization_name: '北京市交通委员会',
      entry_title: '北京市综合客运枢纽',
      open_type: 'conditional',
      condition: '签署数据使用协议，限于约定场景使用',
      planned_date: `${NEXT}-09-30`,
      progress: 'planned',
      opened_at: '',
    });
    expect(rows.find((r) => r.entry_code === entries.open)!.progress).toBe('opened_on_time');
  });

  it('is published as a DCAT catalog in Turtle of the planned entries the public can read', async () => {
    const response = await inject('GET', `/api/v1/opening/city/${NEXT}/plan.ttl`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/turtle/);
    const store = await parseToStore('ttl', response.body, 'http://localhost/');
    const catalogs = store.getSubjects(RDF_TYPE, namedNode(`${DCAT}Catalog`), null);
    expect(catalogs).toHaveLength(1);
    const catalog = catalogs[0]!;
    expect(catalog.value).toMatch(new RegExp(`/api/v1/opening/city/${NEXT}$`));
    expect(store.getObjects(catalog, namedNode(`${DCT}title`), null).map((o) => o.value)).toContain(
      `Public data opening plan ${NEXT}`,
    );
    const datasets = store
      .getObjects(catalog, namedNode(`${DCAT}dataset`), null)
      .flatMap((d) => store.getObjects(d, namedNode(`${DCT}identifier`), null).map((o) => o.value));
    // The draft is not public yet: it is on the page and in the CSV, not in the catalog.
    expect(datasets.sort()).toEqual([entries.open, entries.widened].sort());
  });

  it('answers an empty year with an empty plan', async () => {
    const city = (await inject('GET', `/api/v1/opening/city/2090`)).json();
    expect(city).toEqual({
      year: 2090,
      totals: { items: 0, openedOnTime: 0, openedLate: 0, overdue: 0, planned: 0 },
      organizations: [],
      items: [],
    });
    const csv = (await inject('GET', '/api/v1/opening/city/2090/plan.csv')).body;
    expect(csv).toBe(`\uFEFF${CITY_CSV_COLUMNS.join(',')}\r\n`);
  });

  it('keeps serving the approved items while an amendment is in review', async () => {
    const amended = await inject('PUT', `/api/v1/opening/plans/${planId}/items`, editor, {
      items: [
        items()[0],
        { entryCode: entries.closed, openType: 'unconditional', plannedDate: `${NEXT}-12-31` },
      ],
    });
    expect(amended.statusCode, amended.body).toBe(200);
    const plan = amended.json();
    expect(plan.state).toBe('draft');
    expect(plan.items.map((i: { entryCode: string }) => i.entryCode)).toEqual([entries.open, entries.closed]);
    expect(plan.approvedItems).toHaveLength(3);
    expect((await lastLedgerEntry()).details).toMatchObject({ amendment: true, items: 2 });
    const serving = async () =>
      ((await inject('GET', `/api/v1/opening/city/${NEXT}`)).json().items as { entryCode: string }[])
        .map((i) => i.entryCode)
        .sort();
    expect(await serving()).toEqual([entries.open, entries.draft, entries.widened].sort());
    expect((await inject('POST', `/api/v1/opening/plans/${planId}/submit`, admin)).statusCode).toBe(200);
    expect(await serving()).toEqual([entries.open, entries.draft, entries.widened].sort());
    // Returned, the amendment still leaves the approved items serving.
    await inject('POST', `/api/v1/opening/plans/${planId}/review`, operator, {
      decision: 'return',
      comment: '请说明撤下两项的原因',
    });
    expect(await serving()).toEqual([entries.open, entries.draft, entries.widened].sort());
    expect((await inject('POST', `/api/v1/opening/plans/${planId}/submit`, admin)).statusCode).toBe(200);
    await inject('POST', `/api/v1/opening/plans/${planId}/review`, operator, { decision: 'approve' });
    expect(await serving()).toEqual([entries.open, entries.closed].sort());
  });
});

describe('progress against the plan', () => {
  it('tells opened on time, opened late, overdue and planned apart', async () => {
    // Last year's plan: everything published today is late; what is not open is overdue.
    await approvedPlan(transport.id, PREV, [
      { entryCode: entries.open, openType: 'unconditional', plannedDate: `${PREV}-06-30` },
      { entryCode: entries.draft, openType: 'unconditional', plannedDate: `${PREV}-12-31` },
    ]);
    const prev = (await inject('GET', `/api/v1/opening/city/${PREV}`)).json();
    const byCode = (city: { items: { entryCode: string; progress: string }[] }) =>
      Object.fromEntries(city.items.map((i) => [i.entryCode, i.progress]));
    expect(byCode(prev)).toEqual({ [entries.open]: 'opened_late', [entries.draft]: 'overdue' });
    expect(prev.totals).toEqual({ items: 2, openedOnTime: 0, openedLate: 1, overdue: 1, planned: 0 });
    // Next year's: published today is on time; not open yet is planned.
    const next = (await inject('GET', `/api/v1/opening/city/${NEXT}`)).json();
    expect(byCode(next)).toEqual({ [entries.open]: 'opened_on_time', [entries.closed]: 'planned' });
  });

  it('dates the opening from the first publication with the planned open type or a more open one', async () => {
    const [first, second] = await publicationTimes(entries.widened);
    expect(first! < second!).toBe(true);
    const plan = (
      await inject('GET', `/api/v1/opening/plans?year=${PREV}&organizationId=${transport.id}`, editor)
    ).json().items[0];
    const id = plan.id as string;
    const amended = await inject('PUT', `/api/v1/opening/plans/${id}/items`, editor, {
      items: [
        // Conditional: the first publication (conditional) already fulfils it.
        {
          entryCode: entries.widened,
          openType: 'conditional',
          condition: '协议',
          plannedDate: `${PREV}-01-01`,
        },
        // Unconditional since its first publication: that fulfils a conditional item too.
        { entryCode: entries.open, openType: 'conditional', condition: '协议', plannedDate: `${PREV}-01-01` },
        // Published, but not open: never opened.
        {
          entryCode: entries.closed,
          openType: 'conditional',
          condition: '协议',
          plannedDate: `${PREV}-01-01`,
        },
        // Open once, then retired: not open now.
        { entryCode: entries.retired, openType: 'unconditional', plannedDate: `${PREV}-01-01` },
      ],
    });
    expect(amended.statusCode, amended.body).toBe(200);
    const items = amended.json().items as { entryCode: string; progress: string; openedAt: string | null }[];
    expect(items.map((i) => [i.progress, i.openedAt])).toEqual([
      ['opened_late', first],
      ['opened_late', (await publicationTimes(entries.open))[0]],
      ['overdue', null],
      ['overdue', null],
    ]);
    const widened = await inject('PUT', `/api/v1/opening/plans/${id}/items`, editor, {
      items: [{ entryCode: entries.widened, openType: 'unconditional', plannedDate: `${PREV}-01-01` }],
    });
    // Unconditional: only the second publication counts.
    expect(widened.json().items[0].openedAt).toBe(second);
  });
});

describe('refusals', () => {
  let planId = '';
  beforeAll(async () => {
    const created = await inject('POST', '/api/v1/opening/plans', editor, {
      organizationId: transport.id,
      year: THIS_YEAR,
    });
    planId = created.json().id;
  });

  async function putItems(items: unknown[], caller: Caller = editor) {
    return inject('PUT', `/api/v1/opening/plans/${planId}/items`, caller, { items });
  }

  it('refuses a second plan for the same organisation and year', async () => {
    const before = await ledgerSize();
    const again = await inject('POST', '/api/v1/opening/plans', editor, {
      organizationId: transport.id,
      year: THIS_YEAR,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('OPENING_PLAN_EXISTS');
    expect(await ledgerSize()).toBe(before);
  });

  it('refuses entries of another organisation, unknown entries and core data, writing nothing', async () => {
    const before = await ledgerSize();
    const day = `${THIS_YEAR}-12-31`;
    const foreign = await putItems([
      { entryCode: entries.open, openType: 'unconditional', plannedDate: day },
      { entryCode: healthEntry, openType: 'unconditional', plannedDate: day },
    ]);
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().code).toBe('OPENING_NOT_OWN_ENTRY');
    expect(foreign.json().errors).toEqual([{ path: '/items/1/entryCode', message: expect.any(String) }]);
    const unknown = await putItems([
      { entryCode: '9-99-999-999-999999', openType: 'unconditional', plannedDate: day },
    ]);
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('OPENING_UNKNOWN_ENTRY');
    const core = await putItems([
      { entryCode: entries.core, openType: 'conditional', condition: '协议', plannedDate: day },
    ]);
    expect(core.statusCode).toBe(422);
    expect(core.json().code).toBe('OPENING_CORE_DATA');
    expect(await ledgerSize()).toBe(before);
    expect((await inject('GET', `/api/v1/opening/plans/${planId}`, editor)).json().items).toEqual([]);
  });

  it('refuses malformed items with one message per field', async () => {
    const cases: [unknown[], string][] = [
      [
        [{ entryCode: entries.open, openType: 'unconditional', plannedDate: `${NEXT}-01-01` }],
        '/items/0/plannedDate',
      ],
      [
        [{ entryCode: entries.open, openType: 'unconditional', plannedDate: `${THIS_YEAR}-02-30` }],
        '/items/0/plannedDate',
      ],
      [
        [{ entryCode: entries.open, openType: 'conditional', plannedDate: `${THIS_YEAR}-05-01` }],
        '/items/0/condition',
      ],
      [
        [
          {
            entryCode: entries.open,
            openType: 'unconditional',
            condition: '协议',
            plannedDate: `${THIS_YEAR}-05-01`,
          },
        ],
        '/items/0/condition',
      ],
      [
        [
          { entryCode: entries.open, openType: 'unconditional', plannedDate: `${THIS_YEAR}-05-01` },
          { entryCode: entries.open, openType: 'unconditional', plannedDate: `${THIS_YEAR}-06-01` },
        ],
        '/items/1/entryCode',
      ],
    ];
    for (const [items, path] of cases) {
      const response = await putItems(items);
      expect(response.statusCode, JSON.stringify(items)).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
      expect(response.json().errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
    const schema = [
      { items: [{ entryCode: entries.open, openType: 'not_open', plannedDate: `${THIS_YEAR}-05-01` }] },
      { items: [{ entryCode: entries.open, openType: 'unconditional', plannedDate: '1 May' }] },
      {
        items: [
          { entryCode: entries.open, openType: 'unconditional', plannedDate: `${THIS_YEAR}-05-01`, x: 1 },
        ],
      },
      {},
    ];
    for (const body of schema) {
      const response = await inject('PUT', `/api/v1/opening/plans/${planId}/items`, editor, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
    }
    for (const body of [
      { organizationId: transport.id, year: 1999 },
      { organizationId: 'x', year: NEXT },
      {},
    ]) {
      const response = await inject('POST', '/api/v1/opening/plans', editor, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await inject('GET', '/api/v1/opening/city/19')).statusCode).toBe(400);
  });

  it('refuses to submit an empty plan', async () => {
    const response = await inject('POST', `/api/v1/opening/plans/${planId}/submit`, admin);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
  });

  it('refuses members of another organisation, and shows them nothing', async () => {
    const before = await ledgerSize();
    const items = [{ entryCode: entries.open, openType: 'unconditional', plannedDate: `${THIS_YEAR}-12-31` }];
    expect((await putItems(items, healthAdmin)).statusCode).toBe(403);
    expect((await inject('POST', `/api/v1/opening/plans/${planId}/submit`, healthAdmin)).statusCode).toBe(
      403,
    );
    const create = await inject('POST', '/api/v1/opening/plans', healthAdmin, {
      organizationId: transport.id,
      year: 2030,
    });
    expect(create.statusCode).toBe(403);
    expect((await inject('GET', `/api/v1/opening/plans/${planId}`, healthAdmin)).statusCode).toBe(404);
    expect((await inject('GET', `/api/v1/opening/plans/${planId}`, citizen)).statusCode).toBe(404);
    expect(await ledgerSize()).toBe(before);
  });

  it('lists plans to members of their organisations, and all of them to operators and auditors', async () => {
    const years = async (caller: Caller | undefined, query = '') => {
      const response = await inject('GET', `/api/v1/opening/plans${query}`, caller);
      return response.statusCode === 200
        ? (response.json().items as { year: number }[]).map((p) => p.year)
        : response.statusCode;
    };
    expect(await years(editor)).toEqual([NEXT, THIS_YEAR, PREV]);
    expect(await years(auditor, `?year=${PREV}`)).toEqual([PREV]);
    expect(await years(operator, `?organizationId=${transport.id}`)).toEqual([NEXT, THIS_YEAR, PREV]);
    expect(await years(healthAdmin)).toEqual([]);
    expect(await years(healthAdmin, `?organizationId=${transport.id}`)).toEqual([]);
    expect(await years(haidianMember)).toEqual([]);
    expect(await years(citizen)).toEqual([]);
    expect(await years(undefined)).toBe(401);
    expect((await inject('GET', `/api/v1/opening/plans/${planId}`, auditor)).statusCode).toBe(200);
  });

  it('answers unknown plans with 404', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const response = await inject('PUT', `/api/v1/opening/plans/${missing}/items`, editor, { items: [] });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('OPENING_PLAN_NOT_FOUND');
    expect(
      (await inject('POST', `/api/v1/opening/plans/${missing}/review`, operator, { decision: 'approve' }))
        .statusCode,
    ).toBe(404);
  });

  it('lets a company plan the opening of its own data (Art. 18 ¶2)', async () => {
    const company = await organizationByCode(t, 'demo-tech');
    const companyAdmin = await t.login('company-admin');
    const entry = await draftEntry(
      companyAdmin,
      sampleEntry(company, { title: { zh: '数智停车平台接入泊位统计' } }),
    );
    const created = await inject('POST', '/api/v1/opening/plans', companyAdmin, {
      organizationId: company.id,
      year: NEXT,
    });
    expect(created.statusCode).toBe(201);
    const plan = await inject('PUT', `/api/v1/opening/plans/${created.json().id}/items`, companyAdmin, {
      items: [{ entryCode: entry.code, openType: 'unconditional', plannedDate: `${NEXT}-10-01` }],
    });
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json().items[0].progress).toBe('planned');
  });
});
