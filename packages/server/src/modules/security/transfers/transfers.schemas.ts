import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const LocalizedText = Type.Object({
  zh: Type.String(),
  en: Type.Optional(Type.String()),
  fr: Type.Optional(Type.String()),
});
export const RouteSchema = Type.Union([
  Type.Literal('security-assessment'),
  Type.Literal('standard-contract-or-certification'),
  Type.Literal('exempt'),
]);
export const TransferStateSchema = Type.Union([
  Type.Literal('draft'),
  Type.Literal('submitted'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
]);
const Count = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });
const Attachment = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300 }),
    mediaType: Type.String({ minLength: 1, maxLength: 200 }),
    size: Type.Integer({ minimum: 0 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  { additionalProperties: false },
);

export const AssessmentSchema = Type.Object({
  route: RouteSchema,
  reasons: Type.Array(
    Type.Object({
      code: Type.String(),
      value: Type.Optional(Type.Integer()),
      threshold: Type.Optional(Type.Integer()),
      text: Type.String(),
    }),
  ),
  containsImportantData: Type.Boolean(),
  year: Type.Integer(),
  earlier: Type.Object({ people: Type.Integer(), sensitivePeople: Type.Integer() }),
  cumulative: Type.Object({ people: Type.Integer(), sensitivePeople: Type.Integer() }),
});

export const TransferSchema = Type.Object({
  id: Type.String(),
  organizationId: Type.String(),
  organizationName: LocalizedText,
  entryCodes: Type.Array(Type.String()),
  gradedImportant: Type.Boolean(),
  importantDataDeclared: Type.Boolean(),
  recipient: Type.String(),
  country: Type.String(),
  purpose: Type.String(),
  peopleCount: Type.Integer(),
  sensitivePeopleCount: Type.Integer(),
  state: TransferStateSchema,
  assessment: AssessmentSchema,
  decision: Type.Object({
    comment: Nullable(Type.String()),
    reference: Nullable(Type.String()),
    decidedBy: Nullable(Type.String()),
    decidedAt: Nullable(Type.String()),
  }),
  submittedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  impactAssessments: Type.Array(
    Type.Object({
      id: Type.String(),
      text: Type.String(),
      attachments: Type.Array(Attachment),
      createdBy: Type.String(),
      createdAt: Type.String(),
      retainUntil: Type.String(),
    }),
  ),
});

const transferProperties = {
  entryCodes: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 500 }),
  importantDataDeclared: Type.Optional(Type.Boolean()),
  recipient: Type.String({ minLength: 1, maxLength: 300 }),
  country: Type.String({ minLength: 2, maxLength: 2 }),
  purpose: Type.String({ minLength: 1, maxLength: 4000 }),
  peopleCount: Count,
  sensitivePeopleCount: Count,
};

export const TransferBody = Type.Object(
  { organizationId: Type.String({ format: 'uuid' }), ...transferProperties },
  { additionalProperties: false },
);
export const TransferUpdateBody = Type.Object(transferProperties, { additionalProperties: false });

export const RoutePreviewBody = Type.Object(
  {
    organizationId: Type.String({ format: 'uuid' }),
    transferId: Type.Optional(Type.String({ format: 'uuid' })),
    entryCodes: transferProperties.entryCodes,
    importantDataDeclared: Type.Optional(Type.Boolean()),
    country: transferProperties.country,
    peopleCount: Count,
    sensitivePeopleCount: Count,
  },
  { additionalProperties: false },
);

export const TransfersQuery = Type.Object(
  {
    organizationId: Type.Optional(Type.String({ format: 'uuid' })),
    state: Type.Optional(TransferStateSchema),
  },
  { additionalProperties: false },
);

export const DecideBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
    reference: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const AssessmentBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 100_000 }),
    attachments: Type.Optional(Type.Array(Attachment, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const TransferRulesSchema = Type.Object(
  {
    assessmentPeople: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }),
    assessmentSensitivePeople: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }),
    contractPeople: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }),
  },
  { additionalProperties: false },
);
export const TransferRulesResponse = Type.Object({
  rules: TransferRulesSchema,
  defaults: TransferRulesSchema,
});
