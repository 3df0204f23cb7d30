// The pages rendered to HTML with data already in the query cache: what a reader sees of a scan report, a
// risk report and a derivation, in each language, without a browser.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18next from 'i18next';
import { createElement, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatastoreResource } from '../src/features/datastore/datastore-types.ts';
import { DerivationResult } from '../src/features/security-resources/derivation-result.tsx';
import { RESOURCE_SECURITY_KEY } from '../src/features/security-resources/resources-api.ts';
import type {
  DerivationView,
  RiskReport,
  ScanView,
} from '../src/features/security-resources/resources-types.ts';
import { RiskReportView } from '../src/features/security-resources/risk-report-view.tsx';
import { SecurityResourcePage } from '../src/features/security-resources/security-resources-page.tsx';
import en from '../src/i18n/en.json' with { type: 'json' };
import fr from '../src/i18n/fr.json' with { type: 'json' };
import zhCN from '../src/i18n/zh-CN.json' with { type: 'json' };

const RESOURCE: DatastoreResource = {
  id: 'res-1',
  entryCode: '3-04-001-001-000008',
  entryName: { zh: '就诊抽样' },
  organizationId: 'org-1',
  name: '就诊抽样',
  description: null,
  liveVersion: 1,
  rowCount: 200,
  fields: ['district', 'age', 'phone', 'diagnosis'].map((name) => ({ name, type: 'string' as const })),
  geo: null,
  createdAt: '2026-11-30T10:00:00Z',
  updatedAt: '2026-11-30T10:00:00Z',
  access: { read: true, manage: true, conditional: false },
};

const SCAN: ScanView = {
  id: 'scan-1',
  resourceId: 'res-1',
  entryCode: RESOURCE.entryCode,
  version: 1,
  sample: null,
  state: 'done',
  jobId: 'job-1',
  report: {
    rowsScanned: 200,
    columns: [
      {
        name: 'phone',
        valuesScanned: 200,
        findings: [
          { recognizer: 'mobile', matches: 200, share: 1, confidence: 0.95, examples: ['138****0000'] },
        ],
        holds: 'mobile',
        proposal: { personalInfo: 'personal', grade: 'general-3', reason: 'mainland mobile numbers' },
      },
    ],
  },
  error: null,
  createdAt: '2026-11-30T10:05:00Z',
  finishedAt: '2026-11-30T10:05:01Z',
};

const REPORT: RiskReport = {
  records: 200,
  classes: 8,
  k: 10,
  averageClassSize: 25,
  uniqueShare: 0,
  prosecutor: { highest: 0.1, average: 0.04, recordsAtRisk: 0, threshold: 0.2 },
  journalist: {
    highest: 0.1,
    average: 0.04,
    recordsAtRisk: 0,
    threshold: 0.2,
    model: 'sample-as-population',
    population: 200,
  },
  marketer: 0.04,
  lDiversity: { diagnosis: { distinct: 1, entropy: 1 } },
  scenario: 'conditional-opening',
  thresholds: { k: 5, maxProsecutor: 0.2, maxJournalist: 0.2, maxMarketer: 0.1, maxUniqueShare: 0, l: 2 },
  pass: false,
  failures: ['"diagnosis" is 1-diverse, below l = 2'],
  notes: [],
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

function render(
  node: ReactNode,
  language: string,
  seed?: (client: QueryClient) => void,
  path = '/security/resources/res-1',
): string {
  void i18next.changeLanguage(language);
  const client = new QueryClient({
    defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY, retry: false } },
  });
  client.setQueryData(['session'], { authenticated: false, oidcEnabled: false });
  seed?.(client);
  const router = createMemoryRouter([{ path: '*', element: node }], { initialEntries: [path] });
  return renderToString(
    createElement(
      I18nextProvider,
      { i18n: i18next },
      createElement(QueryClientProvider, { client }, createElement(RouterProvider, { router })),
    ),
  );
}

/** Visible text of rendered HTML, tags and entities aside. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('the security page of a table', () => {
  it('shows the latest scan: what each column holds, its share, confidence, masked examples, proposal and a way to grade', () => {
    const html = render(createElement(SecurityResourcePage), 'en', (client) => {
      client.setQueryData(['datastore', 'resource', ''], RESOURCE);
      client.setQueryData([...RESOURCE_SECURITY_KEY, 'scans', 'res-1'], { items: [SCAN] });
    });
    const shown = text(html);
    expect(shown).toContain('Security of 就诊抽样');
    expect(shown).toContain('Mobile phone number');
    expect(shown).toContain('100%');
    expect(shown).toContain('95%');
    expect(shown).toContain('138****0000');
    expect(shown).toContain('Personal information');
    expect(html).toContain('href="/security/grading/3-04-001-001-000008"');
  });
});

describe('the de-identification wizard', () => {
  it('starts with a labelled transformation for every field and lists earlier derivations', () => {
    const html = render(
      createElement(SecurityResourcePage),
      'fr',
      (client) => {
        client.setQueryData(['datastore', 'resource', ''], RESOURCE);
        client.setQueryData([...RESOURCE_SECURITY_KEY, 'derivations', 'res-1'], { items: [] });
      },
      '/security/resources/res-1?tab=deidentify',
    );
    const shown = text(html);
    expect(shown).toContain('Étape 1 : Transformations');
    for (const field of RESOURCE.fields) {
      expect(shown).toContain(`Transformation de ${field.name}`);
    }
    expect(shown).toContain("Aucune dé-identification pour l'instant.");
  });
});

describe('a risk report', () => {
  it('gives the verdict and each failure as a sentence in the reader’s language', () => {
    const shown = text(render(createElement(RiskReportView, { report: REPORT }), 'fr'));
    expect(shown).toContain('Ne respecte pas les seuils du scénario « Ouverture sous conditions »');
    expect(shown).toContain('l-diversité de diagnosis vaut 1, en dessous des 2 requis.');
    expect(shown).toContain('Risques face à leurs seuils');
  });

  it('names the chart and describes each bar in words', () => {
    const html = render(createElement(RiskReportView, { report: REPORT }), 'zh-CN');
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="[^"]+"/);
    expect(text(html)).toContain('最高检察官风险：10%，未超过阈值 20%。');
  });
});

describe('a derivation', () => {
  const DERIVATION: DerivationView = {
    id: 'd-1',
    sourceResourceId: 'res-1',
    sourceVersion: 1,
    target: { entryCode: 'X', name: '就诊抽样（去标识化）', resourceId: 'res-2', version: 1 },
    state: 'done',
    jobId: null,
    rows: 200,
    recordsSuppressed: 3,
    risk: { quasiIdentifiers: ['district', 'age'], scenario: 'conditional-opening' },
    report: { ...REPORT, pass: true, lDiversity: undefined, failures: [] } as unknown as RiskReport,
    scenarios: {
      'internal-sharing': true,
      'data-zone': true,
      'conditional-opening': true,
      'public-release': false,
    },
    clearance: 'conditional-opening',
    lineage: {
      source: { resource: 'res-1', version: 1, entry: 'Y' },
      release: 'd-1',
      transformations: { phone: { kind: 'drop' }, age: { kind: 'generalize', level: 1 } },
    },
    error: null,
    createdAt: '2026-11-30T10:06:00Z',
    finishedAt: '2026-11-30T10:06:03Z',
  };

  it('explains the clearance, lists the scenarios passed, the lineage and links the new table', () => {
    const html = render(createElement(DerivationResult, { derivation: DERIVATION }), 'en');
    const shown = text(html);
    expect(shown).toContain('Clearance: conditional opening');
    expect(shown).toContain('it is not served to the public without conditions');
    expect(shown).toMatch(/Public release : Not passed|Public release: Not passed/);
    expect(shown).toContain('Drop the field');
    expect(shown).toContain('Data table res-1, version 1');
    expect(html).toContain('href="/data/res-2"');
  });

  it('says so when the derivation failed', () => {
    const shown = text(
      render(
        createElement(DerivationResult, {
          derivation: { ...DERIVATION, state: 'failed', error: 'district: 西城区 not covered' },
        }),
        'zh-CN',
      ),
    );
    expect(shown).toContain('去标识化失败，未生成任何数据。');
    expect(shown).toContain('西城区 not covered');
  });
});
