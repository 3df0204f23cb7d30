import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const LocalizedTextSchema = Type.Object({
  zh: Type.String(),
  en: Type.Optional(Type.String()),
  fr: Type.Optional(Type.String()),
});

export const Year = Type.Integer({ minimum: 2000, maximum: 2100 });
const PlanOpenTypeSchema = Type.Union([Type.Literal('unconditional'), Type.Literal('conditional')]);

export const PlanItemSchema = Type.Object({
  entryCode: Type.String(),
  entryTitle: LocalizedTextSchema,
  openType: PlanOpenTypeSchema,
  condition: Nullable(Type.String()),
  plannedDate: Type.String(),
  progress: Type.Union([
    Type.Literal('opened_on_time'),
    Type.Literal('opened_late'),
    Type.Literal('overdue'),
    Type.Literal('planned'),
  ]),
  openedAt: Nullable(Type.String()),
});

export const PlanSchema = Type.Object({
  id: Type.String(),
  organizationId: Type.String(),
  organizationName: LocalizedTextSchema,
  year: Type.Integer(),
  state: Type.Union([
    Type.Literal('draft'),
    Type.Literal('submitted'),
    Type.Literal('returned'),
    Type.Literal('approved'),
  ]),
  comment: Nullable(Type.String()),
  items: Type.Array(PlanItemSchema),
  approvedItems: Nullable(Type.Array(PlanItemSchema)),
  submittedAt: Nullable(Type.String()),
  approvedAt: Nullable(Type.String()),
  updatedAt: Type.String(),
});

const TotalsSchema = Type.Object({
  items: Type.Integer(),
  openedOnTime: Type.Integer(),
  openedLate: Type.Integer(),
  overdue: Type.Integer(),
  planned: Type.Integer(),
});

export const CityPlanSchema = Type.Object({
  year: Type.Integer(),
  totals: TotalsSchema,
  organizations: Type.Array(
    Type.Object({
      organizationId: Type.String(),
      organizationName: LocalizedTextSchema,
      totals: TotalsSchema,
    }),
  ),
  items: Type.Array(Type.Object({ ...PlanItemSchema.properties, organizationId: Type.String() })),
});

export const PlansQuery = Type.Object(
  { year: Type.Optional(Year), organizationId: Type.Optional(Type.String({ format: 'uuid' })) },
  { additionalProperties: false },
);

export const CreatePlanBody = Type.Object(
  { organizationId: Type.String({ format: 'uuid' }), year: Year },
  { additionalProperties: false },
);

export const ItemsBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          entryCode: Type.String({ minLength: 1, maxLength: 64 }),
          openType: PlanOpenTypeSchema,
          condition: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
          plannedDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 5000 },
    ),
  },
  { additionalProperties: false },
);

export const ReviewBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('return')]),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export const YearParams = Type.Object({ year: Year }, { additionalProperties: false });
