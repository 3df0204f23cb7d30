import { Type } from 'typebox';
import { MEMBER_ROLES, PLATFORM_ROLES } from '../../kernel/auth/index.ts';

const strict = { additionalProperties: false } as const;

export const PlatformRoleSchema = Type.Union(PLATFORM_ROLES.map((r) => Type.Literal(r)));
export const MemberRoleSchema = Type.Union(MEMBER_ROLES.map((r) => Type.Literal(r)));
export const OrgKindSchema = Type.Union([
  Type.Literal('institution'),
  Type.Literal('company'),
  Type.Literal('other'),
]);

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  strict,
);

export const SessionUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  platformRoles: Type.Array(Type.String()),
  memberships: Type.Array(
    Type.Object({ organizationId: Type.String(), organizationName: Type.String(), role: Type.String() }),
  ),
  permissions: Type.Array(Type.String()),
});

export const SessionResponse = Type.Object({
  authenticated: Type.Boolean(),
  user: Type.Optional(SessionUser),
  csrfToken: Type.Optional(Type.String()),
  oidcEnabled: Type.Boolean(),
});

export const TokenItem = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 100 }),
    expiresInDays: Type.Integer({ minimum: 1, maximum: 365 }),
  },
  strict,
);

export const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  platformRoles: Type.Array(Type.String()),
  disabled: Type.Boolean(),
  createdAt: Type.String(),
});

export const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 2, maxLength: 63 }),
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    password: Type.String({ minLength: 10, maxLength: 256 }),
    platformRoles: Type.Optional(Type.Array(PlatformRoleSchema, { maxItems: 10 })),
  },
  strict,
);

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 320 }), Type.Null()])),
    platformRoles: Type.Optional(Type.Array(PlatformRoleSchema, { maxItems: 10 })),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ minLength: 10, maxLength: 256 })),
  },
  { ...strict, minProperties: 1 },
);

export const Organization = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  creditCode: Type.String(),
  memberCount: Type.Integer(),
  createdAt: Type.String(),
});

export const CreateOrganizationBody = Type.Object(
  {
    code: Type.String({ minLength: 2, maxLength: 63 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    kind: OrgKindSchema,
    creditCode: Type.String({ minLength: 18, maxLength: 18 }),
  },
  strict,
);

export const UpdateOrganizationBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    nameEn: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
    creditCode: Type.Optional(Type.String({ minLength: 18, maxLength: 18 })),
  },
  { ...strict, minProperties: 1 },
);

export const Member = Type.Object({
  userId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
});

export const ListQuery = Type.Object(
  {
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    q: Type.Optional(Type.String({ maxLength: 200 })),
  },
  strict,
);

export const ClientItem = Type.Object({
  id: Type.String({ description: 'The id the transparency log names the system by' }),
  clientId: Type.String({ description: 'What the system sends as client_id' }),
  name: Type.String(),
  organizationId: Type.String(),
  scopes: Type.Array(Type.String()),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

/** A client's secret, shown only in this answer. */
export const ClientSecretAnswer = Type.Object({
  clientId: Type.String(),
  clientSecret: Type.String(),
  item: ClientItem,
});

export const CreateClientBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, strict);

export const ClientParams = Type.Object(
  { id: Type.String({ format: 'uuid' }), clientId: Type.String({ minLength: 1, maxLength: 100 }) },
  strict,
);

/** RFC 6749 §4.4.2 and §2.3.1; RFC 7009 §2.1. Sent as a form (or JSON); unknown parameters are ignored. */
export const OAuthRequestBody = Type.Object(
  {
    grant_type: Type.Optional(Type.String({ maxLength: 100 })),
    scope: Type.Optional(Type.String({ maxLength: 1000 })),
    client_id: Type.Optional(Type.String({ maxLength: 200 })),
    client_secret: Type.Optional(Type.String({ maxLength: 200 })),
    token: Type.Optional(Type.String({ maxLength: 200 })),
    token_type_hint: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: true },
);

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
});
