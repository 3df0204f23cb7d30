// The incident and transfer pages rendered to HTML with data already in the query cache: what a reader sees,
// in each language, without a browser; and every form control has a label.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18next from 'i18next';
import { createElement, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeAll, describe, expect, it } from 'vitest';
import { IncidentPage } from '../src/features/security-incidents/incident-page.tsx';
import { INCIDENTS_KEY } from '../src/features/security-incidents/incidents-api.ts';
import { IncidentsPage } from '../src/features/security-incidents/incidents-page.tsx';
import type { IncidentDetail } from '../src/features/security-incidents/incidents-types.ts';
import { NewIncidentPage } from '../src/features/security-incidents/new-incident-page.tsx';
import { TransferFormPage } from '../src/features/security-transfers/transfer-form-page.tsx';
import { TransferPage } from '../src/features/security-transfers/transfer-page.tsx';
import { TRANSFERS_KEY } from '../src/features/security-transfers/transfers-api.ts';
import { TransfersPage } from '../src/features/security-transfers/transfers-page.tsx';
import type { Transfer } from '../src/features/security-transfers/transfers-types.ts';
import en from '../src/i18n/en.json' with { type: 'json' };
import fr from '../src/i18n/fr.json' with { type: 'json' };
import zhCN from '../src/i18n/zh-CN.json' with { type: 'json' };

const ORG = 'a0000000-0000-4000-8000-000000000001';
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

const SESSION = {
  authenticated: true,
  oidcEnabled: false,
  csrfToken: 'x',
  user: {
    id: 'u1',
    username: 'transport-admin',
    displayName: 'Admin',
    email: null,
    platformRoles: [],
    memberships: [{ organizationId: ORG, role: 'admin' }],
    permissions: [
      'security:incidents:read',
      'security:incidents:manage',
      'security:transfers:read',
      'security:transfers:request',
    ],
  },
};

const INCIDENT: IncidentDetail = {
  id: 'inc-1',
  organizationId: ORG,
  organizationName: { zh: '北京市交通委员会', en: 'Beijing Transport Commission' },
  kind: 'leak',
  title: 'Card holders leaked',
  description: 'An unauthenticated interface.',
  entryCodes: ['2-04-001-001-000001'],
  dataGrade: 'important',
  peopleAffected: 5000,
  cii: false,
  severity: 'relatively-major',
  proposedSeverity: 'relatively-major',
  detectedAt: hoursFromNow(-5),
  reportRequired: true,
  deadlineAt: hoursFromNow(-1),
  deadlineRule: '4 hours',
  reportedAt: null,
  reportReference: null,
  overdue: true,
  state: 'open',
  remediation: '',
  notice: { informationTypes: 'names', cause: '', possibleHarm: '', remedies: '', advice: '', contact: '' },
  fromAlertId: null,
  createdAt: hoursFromNow(-5),
  updatedAt: hoursFromNow(-5),
  dataConcerned: [{ code: '2-04-001-001-000001', title: { zh: '持卡人' }, grade: 'important' }],
  timeline: [
    { id: 'e1', at: hoursFromNow(-5), author: 'transport-admin', kind: 'created', text: 'Recorded.' },
  ],
  tasks: [
    { id: 't1', title: 'Revoke tokens', assignee: null, dueDate: '2026-12-31', done: false, doneAt: null },
  ],
  letters: [],
};

const TRANSFER: Transfer = {
  id: 'tr-1',
  organizationId: ORG,
  organizationName: { zh: '北京市交通委员会' },
  entryCodes: ['2-04-001-001-000001'],
  gradedImportant: false,
  importantDataDeclared: false,
  recipient: 'Example Pte. Ltd.',
  country: 'SG',
  purpose: 'support',
  peopleCount: 40_000,
  sensitivePeopleCount: 0,
  state: 'draft',
  assessment: {
    route: 'standard-contract-or-certification',
    reasons: [{ code: 'people-contract', value: 100_000, threshold: 100_000, text: '' }],
    containsImportantData: false,
    year: 2026,
    earlier: { people: 60_000, sensitivePeople: 0 },
    cumulative: { people: 100_000, sensitivePeople: 0 },
  },
  decision: { comment: null, reference: null, decidedBy: null, decidedAt: null },
  submittedAt: null,
  createdAt: hoursFromNow(-1),
  updatedAt: hoursFromNow(-1),
  impactAssessments: [],
};

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en }, fr: { translation: fr } },
    lng: 'en',
    fallbackLng: 'zh-CN',
    initAsync: false,
    interpolation: { escapeValue: false },
  });
});

function render(node: ReactNode, language: string, seed: (client: QueryClient) => void): string {
  void i18next.changeLanguage(language);
  const client = new QueryClient({
    defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY, retry: false } },
  });
  client.setQueryData(['session'], SESSION);
  client.setQueryData(
    ['catalog', 'institutions'],
    [
      {
        id: ORG,
        code: 'bjjtw',
        name: '北京市交通委员会',
        creditCode: 'x',
        kind: 'institution',
        listed: 1,
        entries: 1,
        quality: null,
      },
    ],
  );
  seed(client);
  const router = createMemoryRouter([{ path: '*', element: node }], { initialEntries: ['/x'] });
  return renderToString(
    createElement(
      I18nextProvider,
      { i18n: i18next },
      createElement(QueryClientProvider, { client }, createElement(RouterProvider, { router })),
    ),
  );
}

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Text inputs, text areas and combo boxes whose id no label names and which carry no aria-label. */
function unlabelled(html: string, atLeast = 0): string[] {
  // The check means something only where the page has controls to check.
  expect(html.match(/<(input|textarea)\b/g)?.length ?? 0).toBeGreaterThanOrEqual(atLeast);
  const labelled = new Set([...html.matchAll(/<label[^>]*\sfor="([^"]+)"/g)].map((m) => m[1]));
  return [...html.matchAll(/<(input|textarea)\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => !/type="(hidden|checkbox|radio)"/.test(tag) && !/aria-label(ledby)?="/.test(tag))
    .filter((tag) => {
      const id = /\sid="([^"]+)"/.exec(tag)?.[1];
      return id === undefined || !labelled.has(id);
    });
}

describe('the incidents list', () => {
  it('marks an overdue report in words, not colour alone', () => {
    for (const [language, word] of [
      ['en', 'Overdue by'],
      ['fr', 'En retard de'],
      ['zh-CN', '已逾期'],
    ] as const) {
      const html = render(createElement(IncidentsPage), language, (c) =>
        c.setQueryData([...INCIDENTS_KEY, 'list', 'all', false], { items: [INCIDENT] }),
      );
      expect(text(html)).toContain(word);
      expect(html).toContain('dp-overdue');
      expect(unlabelled(html)).toEqual([]);
    }
  });
});

describe('an incident', () => {
  it('shows its deadline, timeline, tasks, letter preview and export, with labelled controls', () => {
    const html = render(createElement(IncidentPage), 'en', (c) => {
      c.setQueryData([...INCIDENTS_KEY, 'one', ''], INCIDENT);
      c.setQueryData([...INCIDENTS_KEY, 'preview', INCIDENT.id, 'zh-CN', INCIDENT.updatedAt], {
        language: 'zh-CN',
        subject: '告知',
        text: '一、涉及的个人信息种类\nnames',
        missing: ['cause', 'possibleHarm', 'remedies', 'advice', 'contact'],
      });
    });
    const shown = text(html);
    expect(shown).toContain('Overdue by');
    expect(shown).toContain('Recorded.');
    expect(shown).toContain('Revoke tokens');
    expect(shown).toContain('一、涉及的个人信息种类');
    expect(shown).toContain('The letter cannot be sent until these items are written');
    expect(shown).toContain('What people can do to reduce the harm');
    expect(html).toContain('href="/api/v1/security/incidents/inc-1/report.md"');
    expect(unlabelled(html, 10)).toEqual([]);
  });

  it('has a labelled form to record one', () => {
    const html = render(createElement(NewIncidentPage), 'fr', () => undefined);
    expect(text(html)).toContain('Personnes concernées');
    expect(unlabelled(html, 12)).toEqual([]);
  });
});

describe('transfers', () => {
  it('lists requests with their route', () => {
    const html = render(createElement(TransfersPage), 'zh-CN', (c) =>
      c.setQueryData([...TRANSFERS_KEY, 'list', 'all'], { items: [TRANSFER] }),
    );
    expect(text(html)).toContain('标准合同或认证');
    expect(unlabelled(html)).toEqual([]);
  });

  it('explains the route of a request with the year’s cumulative counts', () => {
    const html = render(createElement(TransferPage), 'en', (c) =>
      c.setQueryData([...TRANSFERS_KEY, 'one', ''], TRANSFER),
    );
    const shown = text(html);
    expect(shown).toContain('Standard contract or certification');
    expect(shown).toContain('Personal information of 100,000 people since 1 January (≥ 100,000).');
    expect(shown).toContain('of which earlier requests 60,000');
    expect(unlabelled(html)).toEqual([]);
  });

  it('has a labelled form whose route box waits for the volumes', () => {
    const html = render(createElement(TransferFormPage), 'en', () => undefined);
    expect(text(html)).toContain('Fill in the organisation, data, country and volumes to see the route.');
    expect(html).toContain('aria-live="polite"');
    expect(unlabelled(html, 7)).toEqual([]);
  });
});
