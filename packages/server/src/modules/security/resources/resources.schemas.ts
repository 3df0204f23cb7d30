import { Type } from 'typebox';

const Scenario = Type.Union(
  [
    Type.Literal('public-release'),
    Type.Literal('conditional-opening'),
    Type.Literal('data-zone'),
    Type.Literal('internal-sharing'),
  ],
  { description: 'The use the de-identified data is assessed for; each has its own thresholds.' },
);

const Thresholds = Type.Object(
  {
    k: Type.Optional(Type.Integer({ minimum: 1 })),
    maxProsecutor: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    maxJournalist: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    maxMarketer: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    maxUniqueShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    l: Type.Optional(Type.Integer({ minimum: 1 })),
    t: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { description: 'Replaces the scenario’s default thresholds where given.' },
);

const Hierarchy = Type.Union(
  [
    Type.Object({ csv: Type.String({ minLength: 1, maxLength: 10_000_000 }) }),
    Type.Object({ ranges: Type.Array(Type.Number({ exclusiveMinimum: 0 }), { minItems: 1, maxItems: 10 }) }),
    Type.Object({
      dates: Type.Array(Type.Union([Type.Literal('month'), Type.Literal('year'), Type.Literal('decade')]), {
        minItems: 1,
        maxItems: 3,
      }),
    }),
    Type.Object({
      regions: Type.Literal(true, {
        description: 'Six-digit administrative division codes: prefecture, then province.',
      }),
    }),
  ],
  {
    description:
      'A value tree as CSV (column 0 the value, then one column per level, `;` or `,`), widths of numeric ranges, date levels, or administrative division codes.',
  },
);

export const TransformSchema = Type.Union([
  Type.Object({ kind: Type.Literal('keep') }),
  Type.Object({ kind: Type.Literal('drop') }),
  Type.Object({
    kind: Type.Literal('mask'),
    keepStart: Type.Optional(Type.Integer({ minimum: 0 })),
    keepEnd: Type.Optional(Type.Integer({ minimum: 0 })),
    char: Type.Optional(Type.String({ minLength: 1, maxLength: 1 })),
  }),
  Type.Object({
    kind: Type.Literal('hash'),
    length: Type.Optional(Type.Integer({ minimum: 8, maximum: 64 })),
  }),
  Type.Object({
    kind: Type.Literal('generalize'),
    hierarchy: Hierarchy,
    level: Type.Integer({ minimum: 0 }),
  }),
  Type.Object({
    kind: Type.Literal('range'),
    width: Type.Number({ exclusiveMinimum: 0 }),
    origin: Type.Optional(Type.Number()),
  }),
  Type.Object({
    kind: Type.Literal('truncate-date'),
    unit: Type.Union([Type.Literal('year'), Type.Literal('month'), Type.Literal('day')]),
  }),
  Type.Object({
    kind: Type.Literal('noise'),
    distribution: Type.Union([Type.Literal('laplace'), Type.Literal('gaussian'), Type.Literal('uniform')]),
    scale: Type.Number({ exclusiveMinimum: 0 }),
    round: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  }),
  Type.Object({ kind: Type.Literal('suppress') }),
]);

export const ScanBody = Type.Object({
  resourceId: Type.String({ minLength: 1 }),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  sample: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Scan at most this many rows; every row when left out.' }),
  ),
});

export const ResourceQuery = Type.Object({ resourceId: Type.String({ minLength: 1 }) });

export const ScansQuery = Type.Object({
  resourceId: Type.Optional(Type.String({ minLength: 1 })),
  entryCode: Type.Optional(
    Type.String({ minLength: 1, description: 'The scans of every table of this catalog entry.' }),
  ),
});

const Report = Type.Unknown({ description: 'The engine’s report; see docs/security-officers.md.' });

export const ScanSchema = Type.Object({
  id: Type.String(),
  resourceId: Type.String(),
  entryCode: Type.String(),
  version: Type.Union([Type.Integer(), Type.Null()]),
  sample: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.String(),
  jobId: Type.Union([Type.String(), Type.Null()]),
  report: Report,
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

const RiskSettings = Type.Object({
  quasiIdentifiers: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 32 }),
  sensitive: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 32 })),
  scenario: Scenario,
  thresholds: Type.Optional(Thresholds),
});

export const DerivationBody = Type.Object({
  sourceResourceId: Type.String({ minLength: 1 }),
  sourceVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  target: Type.Object({
    entryCode: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  }),
  fields: Type.Record(Type.String(), TransformSchema),
  suppression: Type.Optional(
    Type.Object({ k: Type.Integer({ minimum: 1 }), maxShare: Type.Number({ minimum: 0, maximum: 1 }) }),
  ),
  risk: RiskSettings,
});

export const DerivationSchema = Type.Object({
  id: Type.String(),
  sourceResourceId: Type.String(),
  sourceVersion: Type.Union([Type.Integer(), Type.Null()]),
  target: Type.Object({
    entryCode: Type.String(),
    name: Type.String(),
    resourceId: Type.Union([Type.String(), Type.Null()]),
    version: Type.Union([Type.Integer(), Type.Null()]),
  }),
  state: Type.String(),
  jobId: Type.Union([Type.String(), Type.Null()]),
  rows: Type.Union([Type.Integer(), Type.Null()]),
  recordsSuppressed: Type.Union([Type.Integer(), Type.Null()]),
  risk: Type.Unknown(),
  report: Report,
  scenarios: Type.Union([Type.Record(Type.String(), Type.Boolean()), Type.Null()]),
  clearance: Type.Union([Type.String(), Type.Null()]),
  lineage: Type.Unknown(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

export const RiskBody = Type.Object({
  resourceId: Type.String({ minLength: 1 }),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  quasiIdentifiers: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 32 }),
  sensitive: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 32 })),
  scenario: Type.Optional(Scenario),
  thresholds: Type.Optional(Thresholds),
  population: Type.Optional(Type.Integer({ minimum: 1 })),
});

export const SearchBody = Type.Object({
  resourceId: Type.String({ minLength: 1 }),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  hierarchies: Type.Record(Type.String(), Hierarchy),
  k: Type.Integer({ minimum: 2 }),
  l: Type.Optional(Type.Integer({ minimum: 2 })),
  sensitive: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 32 })),
  maxSuppression: Type.Number({ minimum: 0, maximum: 1 }),
});

export const SearchSchema = Type.Object({
  levels: Type.Record(Type.String(), Type.Integer()),
  recordsSuppressed: Type.Integer(),
  infoLoss: Type.Number(),
  nodesChecked: Type.Integer(),
  latticeSize: Type.Integer(),
  report: Report,
});

export const ThresholdsSchema = Type.Record(Type.String(), Type.Unknown());
