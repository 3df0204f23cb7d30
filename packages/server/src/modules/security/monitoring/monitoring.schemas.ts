import { Type } from 'typebox';
import { ThresholdsSchema } from './monitoring.rules.ts';

export const AlertStateSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('acknowledged'),
  Type.Literal('closed'),
  Type.Literal('escalated'),
]);

const Ref = Type.Object({ type: Type.String(), id: Type.String() });

export const AlertSchema = Type.Object({
  id: Type.String(),
  rule: Type.String(),
  severity: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]),
  organizationId: Type.Union([Type.String(), Type.Null()]),
  subject: Ref,
  object: Type.Union([Ref, Type.Null()]),
  window: Type.Object({ start: Type.String(), end: Type.String() }),
  evidence: Type.Record(Type.String(), Type.Unknown()),
  state: AlertStateSchema,
  incidentId: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  handledBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const AlertsQuery = Type.Object(
  {
    state: Type.Optional(AlertStateSchema),
    rule: Type.Optional(
      Type.Union([
        Type.Literal('volume.user'),
        Type.Literal('volume.table'),
        Type.Literal('grant.terms'),
        Type.Literal('signin.account'),
        Type.Literal('signin.address'),
        Type.Literal('token.addresses'),
        Type.Literal('sensitive.fields'),
      ]),
    ),
    organizationId: Type.Optional(Type.String({ maxLength: 100 })),
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  },
  { additionalProperties: false },
);

export const NoteBody = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
  { additionalProperties: false },
);

export const ThresholdsView = Type.Object({
  thresholds: ThresholdsSchema,
  defaults: ThresholdsSchema,
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});

export const RunReportSchema = Type.Object({
  entries: Type.Integer(),
  signIns: Type.Integer(),
  alerts: Type.Integer(),
});

export const NotificationsSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      alertId: Type.String(),
      rule: Type.String(),
      severity: Type.String(),
      state: Type.String(),
      createdAt: Type.String(),
      readAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  unread: Type.Integer(),
});
