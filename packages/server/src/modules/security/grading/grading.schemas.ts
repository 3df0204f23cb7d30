import { Type } from 'typebox';
import { GRADES } from '../../catalog/index.ts';
import { GRADING_STATES, HARMS, IMPACT_OBJECTS, OFFICER_ROLES } from './grading.model.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
/** A union of string literals that keeps its TypeScript type (the values come from the model's lists). */
const literals = <const T extends readonly string[]>(values: T) =>
  Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));

const GradeSchema = literals(GRADES);
const ImpactSchema = literals(IMPACT_OBJECTS);
const HarmSchema = literals(HARMS);
const StateSchema = literals(GRADING_STATES);
const Text = Type.Object({
  zh: Type.String(),
  en: Type.Optional(Type.String()),
  fr: Type.Optional(Type.String()),
});
const Open = { additionalProperties: true } as const;

export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) });
export const OrgParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const OfficerParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  role: literals(OFFICER_ROLES),
});

export const MatrixBody = Type.Object({
  matrix: Type.Record(Type.String(), Type.Unknown()),
});

export const MatrixSchema = Type.Object({
  version: Type.Integer(),
  isDefault: Type.Boolean(),
  matrix: Type.Record(Type.String(), Type.Record(Type.String(), Type.String())),
  defaultMatrix: Type.Record(Type.String(), Type.Record(Type.String(), Type.String())),
});

const Assessment = {
  impact: ImpactSchema,
  harm: HarmSchema,
  rationale: Type.String({ maxLength: 4000 }),
};

export const DraftBody = Type.Object(
  {
    fields: Type.Array(Type.Object({ field: Type.String({ minLength: 1, maxLength: 200 }), ...Assessment }), {
      maxItems: 2000,
    }),
    dataset: Type.Optional(Nullable(Type.Object(Assessment))),
    proposals: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String({ minLength: 1, maxLength: 200 }),
          personalInfo: literals(['none', 'personal', 'sensitive']),
          grade: GradeSchema,
          reason: Type.String({ maxLength: 2000 }),
        }),
        { maxItems: 2000 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ReviewBody = Type.Object(
  {
    decision: literals(['confirm', 'return']),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export const OfficerBody = Type.Object(
  {
    userId: Type.String({ format: 'uuid' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    phone: Type.Optional(Type.String({ pattern: '^[0-9+() -]{3,40}$' })),
  },
  { additionalProperties: false },
);

export const GradingsQuery = Type.Object({
  organizationId: Type.Optional(Type.String({ format: 'uuid' })),
  state: Type.Optional(StateSchema),
});

const StoredField = Type.Object(
  {
    field: Type.String(),
    impact: Type.String(),
    harm: Type.String(),
    rationale: Type.String(),
    level: Type.String(),
  },
  Open,
);
const DatasetSchema = Nullable(
  Type.Object({ impact: Type.String(), harm: Type.String(), rationale: Type.String() }),
);

const GradingBody = {
  id: Type.String(),
  state: StateSchema,
  version: Type.Integer(),
  fields: Type.Array(StoredField),
  dataset: DatasetSchema,
  level: Type.String(),
  proposals: Type.Array(Type.Object({}, Open)),
  comment: Nullable(Type.String()),
  confirmed: Nullable(
    Type.Object({ version: Type.Integer(), level: Type.String(), by: Type.String(), at: Type.String() }),
  ),
  updatedAt: Type.String(),
};

export const GradingViewSchema = Type.Object({
  entry: Type.Object({
    code: Type.String(),
    title: Text,
    organizationId: Type.String(),
    state: Type.String(),
    version: Type.Integer(),
    grade: Type.String(),
    fields: Type.Array(Type.Object({}, Open)),
  }),
  grading: Nullable(Type.Object(GradingBody)),
  versions: Type.Array(Type.Object({}, Open)),
  can: Type.Object({ edit: Type.Boolean(), submit: Type.Boolean(), confirm: Type.Boolean() }),
});

export const GradingListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      entryCode: Type.String(),
      entryTitle: Text,
      organizationId: Type.String(),
      ...GradingBody,
    }),
  ),
});

const Officer = Type.Object({}, Open);
export const OfficersSchema = Type.Object({
  organizationId: Type.String(),
  chiefDataOfficer: Nullable(Officer),
  securityOfficer: Nullable(Officer),
  history: Type.Array(Officer),
});

export const ImportantDataSchema = Type.Object({
  organization: Type.Object({}, Open),
  generatedAt: Type.String(),
  chiefDataOfficer: Nullable(Type.Object({}, Open)),
  securityOfficer: Nullable(Type.Object({}, Open)),
  items: Type.Array(Type.Object({}, Open)),
});

export const DashboardSchema = Type.Object({
  generatedAt: Type.String(),
  organizations: Type.Array(
    Type.Object({
      organizationId: Type.String(),
      code: Type.String(),
      name: Type.String(),
      nameEn: Nullable(Type.String()),
      entries: Type.Integer(),
      graded: Type.Integer(),
      ungraded: Type.Integer(),
      awaitingConfirmation: Type.Integer(),
      important: Type.Integer(),
      core: Type.Integer(),
      openAlerts: Type.Integer(),
      openIncidents: Type.Integer(),
      nextDeadline: Nullable(Type.String()),
      overdueIncidents: Type.Integer(),
      deadlinePassed: Type.Boolean(),
      chiefDataOfficer: Nullable(Type.Object({ name: Type.String() })),
      securityOfficer: Nullable(Type.Object({ name: Type.String() })),
    }),
  ),
});
