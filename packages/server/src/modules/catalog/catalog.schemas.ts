import { Type } from 'typebox';
import {
  DISTRIBUTION_KINDS,
  ENTRY_STATES,
  FIELD_TYPES,
  GRADES,
  OPEN_TYPES,
  PERSONAL_INFO,
  RESOURCE_CLASSIFICATIONS,
  SHARE_TYPES,
  UPDATE_CYCLES,
} from './catalog.model.ts';

const strict = { additionalProperties: false } as const;

/** A union of string literals that keeps its literal types (for the handlers) and lists them (for OpenAPI). */
function literals<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));
}

const Text = (max: number) => Type.String({ maxLength: max });

export const LocalizedTextSchema = Type.Object(
  { zh: Text(8000), en: Type.Optional(Text(8000)), fr: Type.Optional(Text(8000)) },
  strict,
);

export const InformationItemSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z_\\p{L}][\\p{L}\\p{N}_\\- ]*$' }),
    title: Type.Optional(LocalizedTextSchema),
    type: literals(FIELD_TYPES),
    description: Type.Optional(Text(2000)),
    grade: literals(GRADES),
    personalInfo: literals(PERSONAL_INFO),
  },
  strict,
);

export const DistributionSchema = Type.Object(
  {
    id: Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]*$', default: '' }),
    kind: literals(DISTRIBUTION_KINDS),
    title: LocalizedTextSchema,
    format: Type.String({ minLength: 1, maxLength: 50 }),
    url: Type.Optional(Type.String({ maxLength: 2000, pattern: '^(https?://|/)' })),
    mediaType: Type.Optional(Text(200)),
    byteSize: Type.Optional(Type.Integer({ minimum: 0 })),
    description: Type.Optional(Text(4000)),
  },
  strict,
);

const IsoDate = Type.String({ maxLength: 10 });

export const EntryMetadataSchema = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 40 })),
    title: LocalizedTextSchema,
    summary: LocalizedTextSchema,
    organizationId: Type.String({ format: 'uuid' }),
    providerCreditCode: Type.String({ maxLength: 18 }),
    classification: literals(RESOURCE_CLASSIFICATIONS),
    theme: Type.String({ maxLength: 100 }),
    keywords: Type.Array(Text(100), { maxItems: 100 }),
    formats: Type.Array(Text(50), { maxItems: 50 }),
    informationItems: Type.Array(InformationItemSchema, { maxItems: 2000 }),
    shareType: literals(SHARE_TYPES),
    shareCondition: Type.Optional(Text(4000)),
    shareMethod: Type.Optional(Text(400)),
    openType: literals(OPEN_TYPES),
    openCondition: Type.Optional(Text(4000)),
    updateCycle: literals(UPDATE_CYCLES),
    releaseDate: Type.Optional(IsoDate),
    lastUpdate: Type.Optional(IsoDate),
    relatedCodes: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 100, default: [] }),
    license: Type.Optional(Text(400)),
    contactPoint: Type.Optional(
      Type.Object(
        { name: Text(200), email: Type.Optional(Text(200)), phone: Type.Optional(Text(50)) },
        strict,
      ),
    ),
    spatialCoverage: Type.Optional(Text(400)),
    temporalCoverage: Type.Optional(
      Type.Object({ start: Type.Optional(IsoDate), end: Type.Optional(IsoDate) }, strict),
    ),
    grade: literals(GRADES),
    distributions: Type.Array(DistributionSchema, { maxItems: 200, default: [] }),
    extras: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }),
        Type.Union([Text(4000), Type.Number(), Type.Boolean(), Type.Array(Text(400), { maxItems: 100 })]),
      ),
    ),
    sourceUri: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  strict,
);

export const ProviderSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Optional(Type.String()),
  creditCode: Type.String(),
});

export const CatalogRecordSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  state: literals(ENTRY_STATES),
  version: Type.Integer(),
  metadata: EntryMetadataSchema,
  provider: ProviderSchema,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  publishedAt: Type.Optional(Type.String()),
  usageCount: Type.Integer(),
});

const QualityIssueSchema = Type.Object({
  kind: Type.String(),
  severity: Type.Integer(),
  amount: Type.Optional(Type.Number()),
});

export const QualitySchema = Type.Object({
  score: Type.Integer(),
  completeness: Type.Number(),
  fieldsDescribed: Type.Number(),
  hasLicense: Type.Boolean(),
  hasContact: Type.Boolean(),
  timely: Type.Boolean(),
  daysOverdue: Type.Integer(),
  issues: Type.Array(QualityIssueSchema),
});

export const EntryDetailSchema = Type.Object({
  entry: CatalogRecordSchema,
  published: Type.Boolean(),
  working: Type.Optional(
    Type.Object({ version: Type.Integer(), state: literals(ENTRY_STATES), metadata: EntryMetadataSchema }),
  ),
  returned: Type.Optional(
    Type.Object({
      submissionId: Type.String(),
      comment: Type.Optional(Type.String()),
      entryComment: Type.Optional(Type.String()),
      at: Type.String(),
    }),
  ),
  quality: QualitySchema,
  can: Type.Object({
    edit: Type.Boolean(),
    submit: Type.Boolean(),
    answerObjections: Type.Boolean(),
    fileObjection: Type.Boolean(),
  }),
});

export const FacetValueSchema = Type.Object({ value: Type.String(), count: Type.Integer() });

export const EntrySummarySchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  version: Type.Integer(),
  title: LocalizedTextSchema,
  summary: LocalizedTextSchema,
  provider: ProviderSchema,
  theme: Type.String(),
  keywords: Type.Array(Type.String()),
  formats: Type.Array(Type.String()),
  openType: Type.String(),
  shareType: Type.String(),
  grade: Type.String(),
  updateCycle: Type.String(),
  license: Type.Optional(Type.String()),
  lastUpdate: Type.Optional(Type.String()),
  publishedAt: Type.String(),
  updatedAt: Type.String(),
  usageCount: Type.Integer(),
  qualityScore: Type.Integer(),
});

const FACETS = [
  'organization',
  'theme',
  'format',
  'openType',
  'shareType',
  'grade',
  'updateCycle',
  'license',
  'keyword',
  'classification',
] as const;

export const SearchResultSchema = Type.Object({
  total: Type.Integer({ description: 'Exact, or an estimate when approximate is true' }),
  approximate: Type.Boolean({
    description:
      'The total and the facet counts are estimated from a sample of the matches (when there are more than about 2,000); exact=true counts them all',
  }),
  offset: Type.Integer(),
  limit: Type.Integer(),
  items: Type.Array(EntrySummarySchema),
  facets: Type.Object(Object.fromEntries(FACETS.map((f) => [f, Type.Array(FacetValueSchema)]))),
});

const FilterValues = Type.Union([
  Type.String({ maxLength: 200 }),
  Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 }),
]);

export const SearchQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 500 })),
    ...Object.fromEntries(FACETS.map((f) => [f, Type.Optional(FilterValues)])),
    sort: Type.Optional(literals(['relevance', 'newest', 'name', 'usage'] as const)),
    offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
    limit: Type.Integer({ minimum: 0, maximum: 200, default: 20 }),
    exact: Type.Optional(Type.Boolean({ description: 'Count and rank every match, however many (slower)' })),
  },
  strict,
);

export const VersionSchema = Type.Object({
  version: Type.Integer(),
  action: Type.String(),
  actor: Type.String(),
  contentHash: Type.String(),
  ledgerIndex: Type.Integer(),
  createdAt: Type.String(),
  publishedAt: Type.Optional(Type.String()),
  publishLedgerIndex: Type.Optional(Type.Integer()),
  current: Type.Boolean(),
});

export const SubmissionSchema = Type.Object({
  id: Type.String(),
  organizationId: Type.String(),
  state: Type.String(),
  entries: Type.Array(Type.Object({ entryId: Type.String(), version: Type.Integer() })),
  /** The institution's note with its submission. */
  comment: Type.Optional(Type.String()),
  /** The reviewer's comment with the decision. */
  reviewComment: Type.Optional(Type.String()),
  entryComments: Type.Array(Type.Object({ entryId: Type.String(), comment: Type.String() })),
  submittedBy: Type.String(),
  submittedAt: Type.String(),
  reviewedBy: Type.Optional(Type.String()),
  reviewedAt: Type.Optional(Type.String()),
});

export const ObjectionSchema = Type.Object({
  id: Type.String(),
  entryId: Type.String(),
  organizationId: Type.String(),
  field: Type.Optional(Type.String()),
  message: Type.String(),
  state: Type.String(),
  response: Type.Optional(Type.String()),
  createdAt: Type.String(),
  answeredAt: Type.Optional(Type.String()),
  responseHours: Type.Optional(Type.Number()),
  reporterId: Type.Optional(Type.String()),
});

const CodeListItemSchema = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 100 }),
    label: Type.Object({ zh: Text(200), en: Text(200), fr: Text(200) }, strict),
  },
  strict,
);

export const FieldRuleSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z][A-Za-z0-9_.]*$' }),
    label: Type.Object({ zh: Text(200), en: Text(200), fr: Text(200) }, strict),
    required: Type.Optional(Type.Boolean()),
    requiredWhen: Type.Optional(
      Type.Object(
        { path: Type.String({ maxLength: 100 }), values: Type.Array(Text(100), { maxItems: 50 }) },
        strict,
      ),
    ),
    codeList: Type.Optional(Type.String({ maxLength: 100 })),
    minLength: Type.Optional(Type.Integer({ minimum: 0 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 0 })),
    minItems: Type.Optional(Type.Integer({ minimum: 0 })),
    maxItems: Type.Optional(Type.Integer({ minimum: 0 })),
    pattern: Type.Optional(Type.String({ maxLength: 500 })),
    localOnly: Type.Optional(Type.Boolean()),
    type: Type.Optional(literals(['text', 'number', 'boolean', 'date', 'list'] as const)),
  },
  strict,
);

export const ProfileExtensionSchema = Type.Object(
  {
    rules: Type.Optional(Type.Array(FieldRuleSchema, { maxItems: 200 })),
    codeLists: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]*$' }),
        Type.Array(CodeListItemSchema, { maxItems: 1000 }),
      ),
    ),
  },
  strict,
);

export const ProfileSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  codeLists: Type.Record(Type.String(), Type.Array(CodeListItemSchema)),
  rules: Type.Array(FieldRuleSchema),
});

export const RefParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 60 }) }, strict);

export { FACETS };
