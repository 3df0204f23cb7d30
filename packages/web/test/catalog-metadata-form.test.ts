import { describe, expect, it } from 'vitest';
import type { EntryMetadata } from '../src/features/catalog/catalog-types.ts';
import {
  daysSince,
  diffValueText,
  formatBytes,
  jobPercent,
  parseActor,
} from '../src/features/catalog/format-catalog.ts';
import { editorValuesOf, metadataOf, newEntryValues } from '../src/features/catalog/metadata-form.ts';

const ORG = '5f0c6a4e-0000-4000-8000-000000000001';

const metadata: EntryMetadata = {
  code: '2-04-001-001-000001',
  title: { zh: '北京市公交线路', en: 'Beijing bus lines' },
  summary: { zh: '全市公交线路的走向、站点和首末班时间。' },
  organizationId: ORG,
  providerCreditCode: '11110000000021135M',
  classification: 'thematic',
  theme: 'transport',
  keywords: ['公交', '线路'],
  formats: ['CSV', 'API'],
  informationItems: [
    { name: 'line_no', title: { zh: '线路号' }, type: 'string', grade: 'general-1', personalInfo: 'none' },
  ],
  shareType: 'unconditional',
  openType: 'conditional',
  openCondition: '需申请',
  updateCycle: 'daily',
  releaseDate: '2023-05-01',
  relatedCodes: [],
  license: 'CC-BY-4.0',
  contactPoint: { name: '张三', email: 'zhang@example.cn' },
  grade: 'general-1',
  distributions: [
    {
      id: 'd1',
      kind: 'file',
      title: { zh: '线路表' },
      format: 'CSV',
      url: 'https://data.example.cn/lines.csv',
    },
  ],
  extras: { budgetCode: 'B-1' },
  sourceUri: 'https://data.example.cn/dataset/1',
};

describe('editor values and metadata', () => {
  it('round-trips existing metadata unchanged', () => {
    expect(metadataOf(editorValuesOf(metadata))).toEqual(metadata);
  });

  it('leaves out empty optional fields and trims texts', () => {
    const out = metadataOf({
      ...editorValuesOf(metadata),
      title: { zh: ' 公交 ', en: '', fr: '  ' },
      contactPoint: { name: '', email: '', phone: '' },
      temporalCoverage: { start: '', end: '' },
      license: null,
      keywords: ['公交', ' 公交 ', '', '线路'],
      informationItems: [
        {
          name: ' id ',
          title: { zh: '' },
          type: 'integer',
          grade: 'general-2',
          personalInfo: 'none',
          description: ' ',
        },
      ],
      distributions: [
        { id: '', kind: 'api', title: { zh: '接口', en: '' }, format: 'API', url: '', byteSize: null },
      ],
    });
    expect(out.title).toEqual({ zh: '公交' });
    expect(out.contactPoint).toBeUndefined();
    expect(out.temporalCoverage).toBeUndefined();
    expect(out.license).toBeUndefined();
    expect(out.keywords).toEqual(['公交', '线路']);
    expect(out.informationItems).toEqual([
      { name: 'id', type: 'integer', grade: 'general-2', personalInfo: 'none' },
    ]);
    expect(out.distributions).toEqual([{ id: '', kind: 'api', title: { zh: '接口' }, format: 'API' }]);
  });

  it("keeps only the operator's extra fields that hold a value", () => {
    const out = metadataOf({
      ...editorValuesOf(metadata),
      extras: { budgetCode: ' B-2 ', note: '', tags: [], flag: false, amount: 0, gone: null },
    });
    expect(out.extras).toEqual({ budgetCode: 'B-2', flag: false, amount: 0 });
    expect(metadataOf({ ...editorValuesOf(metadata), extras: { note: '  ' } }).extras).toBeUndefined();
  });

  it('sends a condition only while its type is conditional', () => {
    const values = {
      ...editorValuesOf(metadata),
      shareCondition: '仅限政务用途',
      shareType: 'unconditional' as const,
    };
    expect(metadataOf(values).shareCondition).toBeUndefined();
    expect(metadataOf({ ...values, shareType: 'conditional' }).shareCondition).toBe('仅限政务用途');
    expect(metadataOf({ ...values, openType: 'not_open' }).openCondition).toBeUndefined();
  });

  it('starts a new entry with empty texts and cautious choices, so the server says what is missing', () => {
    const out = metadataOf(newEntryValues(ORG, '11110000000021135M'));
    expect(out).toMatchObject({
      title: { zh: '' },
      summary: { zh: '' },
      organizationId: ORG,
      theme: '',
      keywords: [],
      informationItems: [],
      openType: 'not_open',
      distributions: [],
    });
    expect(out.code).toBeUndefined();
  });
});

describe('catalog formatting helpers', () => {
  it('formats sizes, ages, diff values and actors', () => {
    expect(formatBytes(512, 'en')).toBe('512 byte');
    expect(formatBytes(12_345, 'en')).toBe('12.1 kB');
    expect(daysSince('2025-01-01T00:00:00Z', new Date('2025-01-04T12:00:00Z'))).toBe(3);
    expect(daysSince('not a date')).toBe(0);
    expect(diffValueText('公交')).toBe('公交');
    expect(diffValueText(['a', 'b'])).toBe('[\n  "a",\n  "b"\n]');
    expect(diffValueText(null)).toBe('');
    expect(parseActor('user:5f0c')).toEqual({ type: 'user', id: '5f0c' });
    expect(parseActor('system:catalog-harvest')).toEqual({ type: 'system', id: 'catalog-harvest' });
  });

  it('turns job progress into a percentage', () => {
    expect(jobPercent(undefined)).toBe(0);
    expect(jobPercent({ status: 'queued', progress: { done: 0, total: null, message: null } })).toBe(0);
    expect(jobPercent({ status: 'running', progress: { done: 20, total: 80, message: null } })).toBe(25);
    expect(jobPercent({ status: 'succeeded', progress: { done: 3, total: null, message: null } })).toBe(100);
  });
});
