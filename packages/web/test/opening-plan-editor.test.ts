import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../src/api/client.ts';
import type { SessionUser } from '../src/api/types.ts';
import { problemCode } from '../src/features/access/problem-codes.ts';
import { createOpeningApi } from '../src/features/opening/opening-api.ts';
import type { Plan } from '../src/features/opening/opening-types.ts';
import {
  addEntry,
  editorItemsOf,
  isDirty,
  itemsRequest,
  placeItemErrors,
  planAbilities,
  planReviewRequest,
  progressTone,
  removeItem,
  updateItem,
  validateItems,
} from '../src/features/opening/plan-editor.ts';

const ORG = 'org-transport';

const PLAN: Plan = {
  id: 'plan-1',
  organizationId: ORG,
  organizationName: { zh: '北京市交通委员会' },
  year: 2026,
  state: 'draft',
  comment: null,
  items: [
    {
      entryCode: 'E1',
      entryTitle: { zh: '公交线路' },
      openType: 'conditional',
      condition: '实名申请',
      plannedDate: '2026-06-30',
      progress: 'planned',
      openedAt: null,
    },
  ],
  approvedItems: null,
  submittedAt: null,
  approvedAt: null,
  updatedAt: '2026-01-10T08:00:00Z',
};

const entry = (code: string, openType: string, grade = 'general-2') => ({
  code,
  title: { zh: `条目 ${code}` },
  openType,
  grade,
});

function user(role: 'admin' | 'editor' | 'member' | undefined, platformRoles: string[] = []): SessionUser {
  return {
    id: 'u',
    username: 'u',
    displayName: 'U',
    email: null,
    platformRoles,
    memberships: role ? [{ organizationId: ORG, organizationName: '交通委', role }] : [],
    permissions: [],
  };
}

describe('editing a plan’s items', () => {
  it('adds an entry once, with its open type and the year’s last day, and never core data', () => {
    let items = editorItemsOf(PLAN);
    items = addEntry(items, entry('E2', 'unconditional'), 2026);
    items = addEntry(items, entry('E2', 'unconditional'), 2026);
    items = addEntry(items, entry('E3', 'not_open'), 2026);
    items = addEntry(items, entry('E4', 'conditional', 'core'), 2026);
    expect(items.map((i) => [i.entryCode, i.openType, i.plannedDate])).toEqual([
      ['E1', 'conditional', '2026-06-30'],
      ['E2', 'unconditional', '2026-12-31'],
      ['E3', 'unconditional', '2026-12-31'],
    ]);
    expect(removeItem(items, 'E2').map((i) => i.entryCode)).toEqual(['E1', 'E3']);
  });

  it('wants a planned date and, for conditional opening, the condition', () => {
    const items = updateItem(
      updateItem(addEntry(editorItemsOf(PLAN), entry('E2', 'unconditional'), 2026), 'E2', {
        openType: 'conditional',
        plannedDate: '',
      }),
      'E1',
      { condition: '  ' },
    );
    expect(validateItems(items)).toEqual([
      { entryCode: 'E1', field: 'condition', key: 'conditionRequired' },
      { entryCode: 'E2', field: 'plannedDate', key: 'dateRequired' },
      { entryCode: 'E2', field: 'condition', key: 'conditionRequired' },
    ]);
    expect(validateItems(editorItemsOf(PLAN))).toEqual([]);
  });

  it('sends a condition only with conditional items, and knows when nothing changed', () => {
    const items = updateItem(editorItemsOf(PLAN), 'E1', { openType: 'unconditional' });
    expect(itemsRequest(items)).toEqual([
      { entryCode: 'E1', openType: 'unconditional', plannedDate: '2026-06-30' },
    ]);
    expect(isDirty(items, PLAN)).toBe(true);
    expect(isDirty(editorItemsOf(PLAN), PLAN)).toBe(false);
    expect(isDirty(updateItem(editorItemsOf(PLAN), 'E1', { condition: ' 实名申请 ' }), PLAN)).toBe(false);
  });

  it('puts the server’s messages on the rows they name', () => {
    const items = addEntry(editorItemsOf(PLAN), entry('E2', 'unconditional'), 2026);
    expect(
      placeItemErrors(
        [
          { path: '/items/1/entryCode', message: '条目不属于本单位。' },
          { path: '/items/0/plannedDate', message: 'bad date' },
          { path: '/items/7/entryCode', message: 'no such row' },
          { path: '', message: 'whole plan' },
        ],
        items,
      ),
    ).toEqual({
      rows: [
        { entryCode: 'E2', field: 'entryCode', message: '条目不属于本单位。' },
        { entryCode: 'E1', field: 'plannedDate', message: 'bad date' },
      ],
      general: ['no such row', 'whole plan'],
    });
  });
});

describe('who may do what with a plan', () => {
  it('lets admins and editors edit, admins submit, and the operator review a submitted plan', () => {
    expect(planAbilities(PLAN, user('editor'))).toEqual({ edit: true, submit: false, review: false });
    expect(planAbilities(PLAN, user('admin'))).toEqual({ edit: true, submit: true, review: false });
    expect(planAbilities(PLAN, user('member'))).toEqual({ edit: false, submit: false, review: false });
    expect(planAbilities({ ...PLAN, state: 'submitted' }, user('admin'))).toEqual({
      edit: false,
      submit: false,
      review: false,
    });
    expect(planAbilities({ ...PLAN, state: 'submitted' }, user(undefined, ['operator'])).review).toBe(true);
    expect(planAbilities({ ...PLAN, state: 'returned' }, user('admin')).submit).toBe(true);
    // An approved plan may be amended (it goes back to draft), not submitted as it is.
    expect(planAbilities({ ...PLAN, state: 'approved' }, user('editor'))).toMatchObject({
      edit: true,
      submit: false,
    });
  });

  it('needs a comment to return a plan', () => {
    expect(planReviewRequest('return', ' ')).toEqual({ problem: 'commentRequired' });
    expect(planReviewRequest('return', '补充开放条件')).toEqual({
      request: { decision: 'return', comment: '补充开放条件' },
    });
    expect(planReviewRequest('approve', '')).toEqual({ request: { decision: 'approve' } });
  });

  it('gives each progress its own colour', () => {
    const tones = ['opened_on_time', 'opened_late', 'overdue', 'planned'].map(progressTone);
    expect(new Set(tones).size).toBe(4);
  });
});

// A real HTTP server standing in for the opening module's plan routes.
let server: Server;
let base = '';
const seen: { method: string; url: string; body: unknown }[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
    });
    req.on('end', () => resolve(data));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const text = await readBody(req);
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    seen.push({ method: req.method ?? '', url: req.url ?? '', body });
    const send = (status: number, value: unknown, type = 'application/json') =>
      res.writeHead(status, { 'content-type': type }).end(JSON.stringify(value));
    if (req.url === '/api/v1/opening/plans' && req.method === 'POST') {
      send(409, { title: 'Conflict', status: 409, code: 'OPENING_PLAN_EXISTS' }, 'application/problem+json');
    } else if (req.url === '/api/v1/opening/plans/plan-1/items' && req.method === 'PUT') {
      const items = (body?.items ?? []) as { entryCode: string }[];
      const foreign = items.findIndex((i) => i.entryCode === 'FOREIGN');
      if (foreign >= 0) {
        send(
          422,
          {
            title: 'Unprocessable',
            status: 422,
            code: 'not-own-entry',
            errors: [{ path: `/items/${foreign}/entryCode`, message: '条目不属于本单位。' }],
          },
          'application/problem+json',
        );
      } else send(200, { ...PLAN, items: PLAN.items });
    } else if (req.url === '/api/v1/opening/plans/plan-1/submit') {
      send(200, { ...PLAN, state: 'submitted' });
    } else if (req.url === '/api/v1/opening/plans/plan-1/review') {
      send(200, {
        ...PLAN,
        state: body?.decision === 'approve' ? 'approved' : 'returned',
        comment: body?.comment ?? null,
      });
    } else if (req.url === '/api/v1/opening/plans?year=2026') {
      send(200, { items: [PLAN] });
    } else {
      send(404, { title: 'Not found', status: 404, code: 'not-found' }, 'application/problem+json');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('plans against the opening API', () => {
  const api = () => createOpeningApi({ language: 'zh-CN', csrfToken: 'c', base });

  it('lists, saves, submits and reviews through the contract’s routes', async () => {
    seen.length = 0;
    expect((await api().plans({ year: 2026 })).items).toHaveLength(1);
    await api().saveItems('plan-1', itemsRequest(editorItemsOf(PLAN)));
    expect((await api().submit('plan-1')).state).toBe('submitted');
    const back = await api().review('plan-1', planReviewRequest('return', '补充条件').request!);
    expect(back).toMatchObject({ state: 'returned', comment: '补充条件' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/v1/opening/plans?year=2026',
      'PUT /api/v1/opening/plans/plan-1/items',
      'POST /api/v1/opening/plans/plan-1/submit',
      'POST /api/v1/opening/plans/plan-1/review',
    ]);
    expect(seen[1]?.body).toEqual({
      items: [{ entryCode: 'E1', openType: 'conditional', condition: '实名申请', plannedDate: '2026-06-30' }],
    });
  });

  it('shows an entry of another organisation on its row', async () => {
    const items = addEntry(editorItemsOf(PLAN), entry('FOREIGN', 'unconditional'), 2026);
    const error = await api()
      .saveItems('plan-1', itemsRequest(items))
      .catch((e: unknown) => e);
    expect(problemCode(error)).toBe('not-own-entry');
    expect(placeItemErrors((error as ApiError).errors, items).rows).toEqual([
      { entryCode: 'FOREIGN', field: 'entryCode', message: '条目不属于本单位。' },
    ]);
  });

  it('recognises a second plan for the same year', async () => {
    const error = await api()
      .create({ organizationId: ORG, year: 2026 })
      .catch((e: unknown) => e);
    expect(problemCode(error)).toBe('plan-exists');
  });
});
