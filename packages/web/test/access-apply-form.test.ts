import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.ts';
import { createAccessApi } from '../src/features/access/access-api.ts';
import {
  APPLY_STEPS,
  type ApplyValues,
  applicantOrganizations,
  applicationRequest,
  availableKinds,
  initialApplyValues,
  placeServerProblems,
  STEP_FIELDS,
  stepOf,
  validateApply,
} from '../src/features/access/apply-form.ts';
import { isValidCreditCode } from '../src/features/access/credit-code.ts';
import { problemCode } from '../src/features/access/problem-codes.ts';

// A credit code whose check character is right (the demo's fictitious transport commission).
const CREDIT_CODE = '11110000000021135M';

function filled(overrides: Partial<ApplyValues> = {}): ApplyValues {
  return {
    ...initialApplyValues('open', '王小明', new Date('2026-03-01T08:00:00Z')),
    applicantKind: 'company',
    organizationId: 'org-company',
    applicantName: '北京某某科技有限公司',
    creditCode: CREDIT_CODE,
    purpose: '公交线路优化研究',
    scenario: '出行规划应用',
    fields: ['line_no', 'stops'],
    operations: ['records', 'aggregate'],
    periodStart: '2026-03-01',
    periodEnd: '2027-02-28',
    securityMeasures: '专人专机，访问留痕，到期删除。',
    acceptTerms: true,
    ...overrides,
  };
}

describe('the apply form steps', () => {
  it('asks every field on exactly one step, the agreement before the summary', () => {
    const all = APPLY_STEPS.flatMap((s) => STEP_FIELDS[s]);
    expect(new Set(all).size).toBe(all.length);
    expect(APPLY_STEPS.at(-1)).toBe('summary');
    expect(APPLY_STEPS.indexOf('terms')).toBe(APPLY_STEPS.length - 2);
    expect(stepOf('acceptTerms')).toBe('terms');
    expect(stepOf('fields')).toBe('data');
    expect(stepOf('creditCode')).toBe('applicant');
    expect(validateApply(filled())).toEqual([]);
  });

  it('starts with the person applying, a year from today, rows only, nothing accepted', () => {
    const start = initialApplyValues('open', '王小明', new Date(2026, 2, 1, 9));
    expect(start).toMatchObject({
      applicantKind: 'individual',
      applicantName: '王小明',
      periodStart: '2026-03-01',
      periodEnd: '2027-03-01',
      operations: ['records'],
      acceptTerms: false,
    });
    expect(initialApplyValues('share', '王小明').applicantKind).toBe('institution');
  });

  it('checks each step on its own, so "Next" stops at the first gap', () => {
    const empty = initialApplyValues('open', '');
    expect(validateApply(empty, STEP_FIELDS.applicant)).toEqual([
      { field: 'applicantName', key: 'required' },
    ]);
    expect(validateApply(empty, STEP_FIELDS.purpose).map((p) => p.field)).toEqual(['purpose', 'scenario']);
    expect(validateApply(empty, STEP_FIELDS.data)).toEqual([{ field: 'fields', key: 'fieldsRequired' }]);
    expect(validateApply({ ...empty, operations: [] }, STEP_FIELDS.data).map((p) => p.key)).toContain(
      'operationsRequired',
    );
    expect(validateApply(empty, STEP_FIELDS.terms)).toEqual([{ field: 'acceptTerms', key: 'termsRequired' }]);
  });

  it('wants an organisation and a valid credit code from companies and institutions', () => {
    const company = filled({ organizationId: undefined, creditCode: '' });
    expect(validateApply(company, STEP_FIELDS.applicant)).toEqual([
      { field: 'organizationId', key: 'organizationRequired' },
      { field: 'creditCode', key: 'creditCodeRequired' },
    ]);
    // One character changed: the check character no longer matches.
    const typo = filled({ creditCode: '11110000000021136M' });
    expect(validateApply(typo, STEP_FIELDS.applicant)).toEqual([
      { field: 'creditCode', key: 'creditCodeInvalid' },
    ]);
    expect(validateApply(filled({ creditCode: CREDIT_CODE.toLowerCase() }), STEP_FIELDS.applicant)).toEqual(
      [],
    );
    // A research body may apply without a code or an organisation.
    expect(
      validateApply(
        filled({ applicantKind: 'research', organizationId: undefined, creditCode: '' }),
        STEP_FIELDS.applicant,
      ),
    ).toEqual([]);
    expect(isValidCreditCode(CREDIT_CODE)).toBe(true);
    expect(isValidCreditCode('11110000000021135I')).toBe(false);
  });

  it('keeps sharing for public institutions', () => {
    expect(
      validateApply(filled({ kind: 'share', applicantKind: 'company' }), STEP_FIELDS.applicant),
    ).toContainEqual({
      field: 'applicantKind',
      key: 'institutionOnly',
    });
  });

  it('wants a period that ends after it starts and lasts at most 366 days', () => {
    const period = (periodStart: string, periodEnd: string) =>
      validateApply(filled({ periodStart, periodEnd }), STEP_FIELDS.data).map((p) => p.key);
    expect(period('2026-03-01', '2026-03-01')).toEqual(['periodOrder']);
    expect(period('2026-03-01', '2026-02-01')).toEqual(['periodOrder']);
    expect(period('2026-03-01', '2027-03-02')).toEqual([]);
    expect(period('2026-03-01', '2027-03-03')).toEqual(['periodTooLong']);
    expect(period('', '2027-03-01')).toEqual(['dateRequired']);
    expect(period('2026-03-01', '2026-13-45')).toEqual(['dateRequired']);
  });
});

describe('submitting an application', () => {
  it('cannot submit without accepting the usage agreement', () => {
    const refused = applicationRequest('2-04-001-001-000001', filled({ acceptTerms: false }), 'v1');
    expect(refused.request).toBeUndefined();
    expect(refused.problems).toEqual([{ field: 'acceptTerms', key: 'termsRequired' }]);
    // Nor before the agreement has been loaded (nothing to accept).
    const noTerms = applicationRequest('2-04-001-001-000001', filled(), undefined);
    expect(noTerms.request).toBeUndefined();
    expect(noTerms.problems).toEqual([{ field: 'acceptTerms', key: 'termsMissing' }]);
  });

  it('lists every problem in the order of the steps, so the form goes to the first', () => {
    const { problems } = applicationRequest(
      'X',
      filled({ purpose: ' ', fields: [], acceptTerms: false, creditCode: 'bad' }),
      'v1',
    );
    expect(problems.map((p) => stepOf(p.field))).toEqual(['applicant', 'purpose', 'data', 'terms']);
  });

  it('sends the contract body: trimmed texts, upper-case code, the agreement version', () => {
    const built = applicationRequest(
      '2-04-001-001-000001',
      filled({ purpose: '  公交线路优化研究  ', creditCode: CREDIT_CODE.toLowerCase() }),
      'v3',
    );
    expect(built.request).toEqual({
      kind: 'open',
      entryCode: '2-04-001-001-000001',
      applicantKind: 'company',
      organizationId: 'org-company',
      applicantName: '北京某某科技有限公司',
      creditCode: CREDIT_CODE,
      purpose: '公交线路优化研究',
      scenario: '出行规划应用',
      fields: ['line_no', 'stops'],
      operations: ['records', 'aggregate'],
      periodStart: '2026-03-01',
      periodEnd: '2027-02-28',
      securityMeasures: '专人专机，访问留痕，到期删除。',
      termsVersion: 'v3',
      acceptTerms: true,
    });
    const person = applicationRequest(
      'X',
      filled({ applicantKind: 'individual', organizationId: 'left-over', creditCode: CREDIT_CODE }),
      'v3',
    );
    expect(person.request).not.toHaveProperty('organizationId');
    expect(person.request).not.toHaveProperty('creditCode');
  });

  it('offers conditional opening, and sharing to institution members, never core data', () => {
    const entry = { openType: 'conditional', shareType: 'conditional', grade: 'general-2' };
    expect(availableKinds(entry, false)).toEqual(['open']);
    expect(availableKinds(entry, true)).toEqual(['open', 'share']);
    expect(availableKinds({ ...entry, openType: 'unconditional' }, true)).toEqual(['share']);
    expect(availableKinds({ ...entry, grade: 'core' }, true)).toEqual([]);
    expect(
      availableKinds({ openType: 'not_open', shareType: 'unconditional', grade: 'general-1' }, true),
    ).toEqual([]);
  });

  it('offers as organisations those of the right kind among the memberships', () => {
    const memberships = [
      { organizationId: 'inst', organizationName: '交通委', role: 'member' as const },
      { organizationId: 'co', organizationName: '某公司', role: 'admin' as const },
    ];
    const institutions = new Set(['inst']);
    const ids = (kind: 'open' | 'share', who: 'individual' | 'company' | 'research' | 'institution') =>
      applicantOrganizations(memberships, institutions, kind, who).map((m) => m.organizationId);
    expect(ids('open', 'individual')).toEqual([]);
    expect(ids('open', 'company')).toEqual(['co']);
    expect(ids('open', 'institution')).toEqual(['inst']);
    expect(ids('open', 'research')).toEqual(['inst', 'co']);
    expect(ids('share', 'institution')).toEqual(['inst']);
  });
});

// A real HTTP server standing in for the access module, answering as the contract says.
let server: Server;
let base = '';
const seen: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
    });
    req.on('end', () => resolve(data));
  });
}

function problem(status: number, code: string, detail: string, errors?: { path: string; message: string }[]) {
  return JSON.stringify({
    type: 'about:blank',
    title: 'Refused',
    status,
    code,
    detail,
    ...(errors ? { errors } : {}),
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
    const sent = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const json = { 'content-type': 'application/json' };
    const problemJson = { 'content-type': 'application/problem+json' };
    if (req.url === '/api/v1/access/terms') {
      res
        .writeHead(200, json)
        .end(JSON.stringify({ version: 'v3', hash: 'abc', text: { zh: '协议', en: 'Terms' } }));
    } else if (req.url === '/api/v1/access/applications' && req.method === 'POST') {
      if (sent.acceptTerms !== true) {
        res.writeHead(422, problemJson).end(problem(422, 'ACCESS_TERMS_NOT_ACCEPTED', '须接受使用协议。'));
      } else if ((sent.fields as string[]).includes('secret')) {
        res
          .writeHead(422, problemJson)
          .end(
            problem(422, 'unknown-field', 'Unknown field', [
              { path: '/fields/1', message: '字段 secret 不存在。' },
            ]),
          );
      } else if (sent.entryCode === 'core') {
        res.writeHead(403, problemJson).end(problem(403, 'core-data', '核心数据不予开放。'));
      } else {
        res.writeHead(201, json).end(JSON.stringify({ id: 'app-1', state: 'submitted', ...sent }));
      }
    } else {
      res.writeHead(404, problemJson).end(problem(404, 'not-found', 'No such route'));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('the apply form against the access API', () => {
  const api = () => createAccessApi({ language: 'fr', csrfToken: 'csrf-1', base });

  it('reads the agreement and posts the application with the reader’s language and CSRF token', async () => {
    const terms = await api().terms();
    expect(terms.version).toBe('v3');
    const built = applicationRequest('2-04-001-001-000001', filled(), terms.version);
    seen.length = 0;
    const created = await api().apply(built.request!);
    expect(created.id).toBe('app-1');
    expect(seen[0]?.headers['x-csrf-token']).toBe('csrf-1');
    expect(seen[0]?.headers['accept-language']).toBe('fr');
    expect(JSON.parse(seen[0]?.body ?? '{}')).toMatchObject({ termsVersion: 'v3', acceptTerms: true });
  });

  it('shows a 422 on the field it is about, on its step', async () => {
    const body = { ...applicationRequest('X', filled({ fields: ['line_no', 'secret'] }), 'v3').request! };
    const error = await api()
      .apply(body)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const placed = placeServerProblems(error as ApiError);
    expect(placed).toEqual([{ field: 'fields', message: '字段 secret 不存在。' }]);
    expect(stepOf('fields')).toBe('data');
  });

  it('puts a refused agreement on the acceptance checkbox even when the server names no field', async () => {
    const body = {
      ...applicationRequest('X', filled(), 'v3').request!,
      acceptTerms: false as unknown as true,
    };
    const error = await api()
      .apply(body)
      .catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(422);
    expect(problemCode(error)).toBe('terms-not-accepted');
    expect(placeServerProblems(error as ApiError)).toEqual([
      { field: 'acceptTerms', message: '须接受使用协议。' },
    ]);
  });

  it('keeps a refusal about the whole application for the form', async () => {
    const body = { ...applicationRequest('core', filled(), 'v3').request! };
    const error = await api()
      .apply(body)
      .catch((e: unknown) => e);
    expect(problemCode(error)).toBe('core-data');
    expect(placeServerProblems(error as ApiError)).toEqual([
      { field: undefined, message: '核心数据不予开放。' },
    ]);
  });
});
