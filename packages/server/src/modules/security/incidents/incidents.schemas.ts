import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const LocalizedText = Type.Object({
  zh: Type.String(),
  en: Type.Optional(Type.String()),
  fr: Type.Optional(Type.String()),
});
export const SeveritySchema = Type.Union([
  Type.Literal('especially-major'),
  Type.Literal('major'),
  Type.Literal('relatively-major'),
  Type.Literal('general'),
]);
export const KindSchema = Type.Union([
  Type.Literal('leak'),
  Type.Literal('tampering'),
  Type.Literal('loss'),
  Type.Literal('unavailability'),
  Type.Literal('exploited-vulnerability'),
]);
export const StateSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('contained'),
  Type.Literal('resolved'),
  Type.Literal('closed'),
]);
export const LanguageSchema = Type.Union([Type.Literal('zh-CN'), Type.Literal('en'), Type.Literal('fr')]);
const DateTime = Type.String({ format: 'date-time' });
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

const noticeProperties = {
  informationTypes: Type.String({ maxLength: 4000 }),
  cause: Type.String({ maxLength: 4000 }),
  possibleHarm: Type.String({ maxLength: 4000 }),
  remedies: Type.String({ maxLength: 4000 }),
  advice: Type.String({ maxLength: 4000 }),
  contact: Type.String({ maxLength: 1000 }),
};
const NoticeSchema = Type.Object(noticeProperties);
const NoticeInput = Type.Partial(Type.Object(noticeProperties, { additionalProperties: false }));

export const IncidentSchema = Type.Object({
  id: Type.String(),
  organizationId: Type.String(),
  organizationName: LocalizedText,
  kind: KindSchema,
  title: Type.String(),
  description: Type.String(),
  entryCodes: Type.Array(Type.String()),
  dataGrade: Nullable(Type.String()),
  peopleAffected: Type.Integer(),
  cii: Type.Boolean(),
  severity: SeveritySchema,
  proposedSeverity: SeveritySchema,
  detectedAt: Type.String(),
  reportRequired: Type.Boolean(),
  deadlineAt: Nullable(Type.String()),
  deadlineRule: Nullable(Type.String()),
  reportedAt: Nullable(Type.String()),
  reportReference: Nullable(Type.String()),
  overdue: Type.Boolean(),
  state: StateSchema,
  remediation: Type.String(),
  notice: NoticeSchema,
  fromAlertId: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const LetterSchema = Type.Object({
  id: Type.String(),
  language: LanguageSchema,
  subject: Type.String(),
  text: Type.String(),
  createdAt: Type.String(),
  recipients: Type.Integer(),
  sent: Type.Integer(),
  failed: Type.Integer(),
});

export const IncidentDetailSchema = Type.Object({
  ...IncidentSchema.properties,
  dataConcerned: Type.Array(Type.Object({ code: Type.String(), title: LocalizedText, grade: Type.String() })),
  timeline: Type.Array(
    Type.Object({
      id: Type.String(),
      at: Type.String(),
      author: Type.String(),
      kind: Type.String(),
      text: Type.String(),
    }),
  ),
  tasks: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      assignee: Nullable(Type.String()),
      dueDate: Nullable(Type.String()),
      done: Type.Boolean(),
      doneAt: Nullable(Type.String()),
    }),
  ),
  letters: Type.Array(LetterSchema),
});

export const IncidentsQuery = Type.Object(
  {
    organizationId: Type.Optional(Type.String({ format: 'uuid' })),
    state: Type.Optional(StateSchema),
    overdue: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const People = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });
const EntryCodes = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 500 });

export const OpenIncidentBody = Type.Object(
  {
    organizationId: Type.String({ format: 'uuid' }),
    kind: KindSchema,
    title: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.String({ maxLength: 20_000 }),
    entryCodes: Type.Optional(EntryCodes),
    peopleAffected: People,
    cii: Type.Boolean(),
    severity: Type.Optional(SeveritySchema),
    detectedAt: DateTime,
    remediation: Type.Optional(Type.String({ maxLength: 20_000 })),
    notice: Type.Optional(NoticeInput),
    fromAlertId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const UpdateIncidentBody = Type.Object(
  {
    kind: Type.Optional(KindSchema),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    description: Type.Optional(Type.String({ maxLength: 20_000 })),
    entryCodes: Type.Optional(EntryCodes),
    peopleAffected: Type.Optional(People),
    cii: Type.Optional(Type.Boolean()),
    severity: Type.Optional(SeveritySchema),
    detectedAt: Type.Optional(DateTime),
    remediation: Type.Optional(Type.String({ maxLength: 20_000 })),
    notice: Type.Optional(NoticeInput),
  },
  { additionalProperties: false },
);

export const MoveBody = Type.Object(
  { state: StateSchema, note: Type.Optional(Type.String({ maxLength: 4000 })) },
  { additionalProperties: false },
);

export const ReportBody = Type.Object(
  { reportedAt: Type.Optional(DateTime), reference: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export const NoteBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false },
);

export const TaskBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    assignee: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    dueDate: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false },
);

export const TaskUpdateBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    assignee: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    dueDate: Type.Optional(Nullable(DateOnly)),
    done: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const LetterQuery = Type.Object({ language: LanguageSchema }, { additionalProperties: false });

export const LetterPreviewSchema = Type.Object({
  language: LanguageSchema,
  subject: Type.String(),
  text: Type.String(),
  missing: Type.Array(Type.String()),
});

export const SendLetterBody = Type.Object(
  {
    language: LanguageSchema,
    recipients: Type.Array(Type.String({ maxLength: 320 }), { minItems: 1, maxItems: 10_000 }),
  },
  { additionalProperties: false },
);

export const RulesSchema = Type.Object(
  {
    peopleThresholds: Type.Array(
      Type.Object(
        { severity: SeveritySchema, minPeople: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }) },
        { additionalProperties: false },
      ),
      { maxItems: 3 },
    ),
    gradeFloors: Type.Array(
      Type.Object(
        { grade: Type.Union([Type.Literal('core'), Type.Literal('important')]), severity: SeveritySchema },
        { additionalProperties: false },
      ),
      { maxItems: 2 },
    ),
    deadlines: Type.Array(
      Type.Object(
        {
          cii: Nullable(Type.Boolean()),
          minSeverity: SeveritySchema,
          hours: Type.Number({ exclusiveMinimum: 0, maximum: 720 }),
          source: Type.String({ minLength: 1, maxLength: 500 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);

export const RulesResponse = Type.Object({ rules: RulesSchema, defaults: RulesSchema });
