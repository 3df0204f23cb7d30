import type { Generated } from 'kysely';

export type MemberRole = 'admin' | 'editor' | 'member';
export type OrganizationKind = 'institution' | 'company' | 'other';

export interface IdentityTables {
  identity_users: {
    id: Generated<string>;
    username: string;
    display_name: string;
    email: string | null;
    password_hash: string | null;
    oidc_subject: string | null;
    platform_roles: string[];
    disabled: Generated<boolean>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  identity_organizations: {
    id: Generated<string>;
    code: string;
    name: string;
    name_en: string | null;
    kind: OrganizationKind;
    credit_code: string;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  identity_memberships: {
    organization_id: string;
    user_id: string;
    role: MemberRole;
    created_at: Generated<Date>;
  };
  identity_sessions: {
    id_hash: Uint8Array;
    user_id: string;
    csrf_token: string;
    created_at: Generated<Date>;
    expires_at: Date;
  };
  identity_api_tokens: {
    id: Generated<string>;
    user_id: string;
    name: string;
    prefix: string;
    token_hash: Uint8Array;
    scopes: string[];
    created_at: Generated<Date>;
    expires_at: Date;
    last_used_at: Date | null;
    revoked_at: Date | null;
  };
  /** Business systems of public institutions (OAuth 2.0 clients). */
  identity_clients: {
    id: Generated<string>;
    organization_id: string;
    name: string;
    /** The public identifier the system sends as `client_id`. */
    client_id: string;
    secret_hash: Uint8Array;
    created_by: string | null;
    created_at: Generated<Date>;
    revoked_at: Date | null;
    last_used_at: Date | null;
  };
  identity_client_tokens: {
    id: Generated<string>;
    token_hash: Uint8Array;
    /** identity_clients.id */
    client_id: string;
    scopes: string[];
    created_at: Generated<Date>;
    expires_at: Date;
    revoked_at: Date | null;
    /** When a refused use of this token was last written to the log (at most one entry a minute). */
    last_refused_at: Date | null;
  };
  identity_login_failures: {
    id: Generated<number>;
    username: string;
    address: string;
    failed_at: Generated<Date>;
  };
}
