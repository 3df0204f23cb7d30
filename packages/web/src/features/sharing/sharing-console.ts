import type { SessionUser } from '../../api/types.ts';
import type { Institution } from '../catalog/catalog-types.ts';
import type { BusinessSystem, ClientSecretAnswer, ClientState } from './sharing-types.ts';

/** The longest name the server accepts for a business system. */
export const NAME_MAX = 100;

function isOperator(user: SessionUser | undefined): boolean {
  return user?.platformRoles.includes('operator') ?? false;
}

/**
 * The institutions whose business systems the reader manages: every public institution for the operator,
 * else those where the reader is an admin. Companies never register systems (Art. 17).
 */
export function sharingInstitutions(
  user: SessionUser | undefined,
  institutions: readonly Institution[] | undefined,
): Institution[] {
  if (user === undefined || institutions === undefined) return [];
  const publicOnes = institutions.filter((o) => o.kind === 'institution');
  if (isOperator(user)) return publicOnes;
  const admin = new Set(user.memberships.filter((m) => m.role === 'admin').map((m) => m.organizationId));
  return publicOnes.filter((o) => admin.has(o.id));
}

/** The navigation link: for the operator and the admins of a public institution. */
export function maySeeSharing(
  user: SessionUser | undefined,
  institutions: readonly Institution[] | undefined,
): boolean {
  return isOperator(user) || sharingInstitutions(user, institutions).length > 0;
}

/** Route guard (no institution list at hand): the operator and admins of any organisation; the page narrows. */
export function mayOpenSharing(user: SessionUser): boolean {
  return isOperator(user) || user.memberships.some((m) => m.role === 'admin');
}

/** The institution in the address when the reader manages it, else the first one. */
export function chosenInstitution(
  param: string | null | undefined,
  choices: readonly Pick<Institution, 'id'>[],
): string | undefined {
  if (param && choices.some((c) => c.id === param)) return param;
  return choices[0]?.id;
}

export function clientState(system: Pick<BusinessSystem, 'revokedAt'>): ClientState {
  return system.revokedAt === null ? 'active' : 'revoked';
}

/** Active systems first, the newest first within each state. */
export function clientRows(items: readonly BusinessSystem[]): BusinessSystem[] {
  const rank = (s: BusinessSystem) => (clientState(s) === 'active' ? 0 : 1);
  return [...items].sort((a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt));
}

/** The name to register, or why it cannot be sent. */
export function clientNameOf(
  input: string | undefined,
): { name: string; problem?: never } | { name?: never; problem: 'nameRequired' | 'nameTooLong' } {
  const name = (input ?? '').trim();
  if (name === '') return { problem: 'nameRequired' };
  if (name.length > NAME_MAX) return { problem: 'nameTooLong' };
  return { name };
}

/** A secret on screen: shown once, after a registration or a rotation, until the reader dismisses it. */
export interface ShownSecret {
  action: 'created' | 'rotated';
  systemName: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Splits the server's answer: the secret goes to the one panel that shows it, the system (without the
 * secret) to the list. Only the system may be kept in a query or mutation cache.
 */
export function takeSecret(
  action: ShownSecret['action'],
  answer: ClientSecretAnswer,
): { secret: ShownSecret; item: BusinessSystem } {
  const { clientSecret, clientId, item } = answer;
  return {
    secret: { action, systemName: item.name, clientId, clientSecret },
    item: {
      id: item.id,
      clientId: item.clientId,
      name: item.name,
      organizationId: item.organizationId,
      scopes: [...item.scopes],
      createdBy: item.createdBy,
      createdAt: item.createdAt,
      lastUsedAt: item.lastUsedAt,
      revokedAt: item.revokedAt,
    },
  };
}

/** A secret on screen stops being worth showing once its system is revoked. */
export function secretAfterRevoke(shown: ShownSecret | undefined, clientId: string): ShownSecret | undefined {
  return shown?.clientId === clientId ? undefined : shown;
}

/** The list with a registered or changed system in it: replaced where it was, first when new. */
export function withSystem(
  items: readonly BusinessSystem[] | undefined,
  item: BusinessSystem,
): BusinessSystem[] {
  const list = items ?? [];
  return list.some((s) => s.id === item.id)
    ? list.map((s) => (s.id === item.id ? item : s))
    : [item, ...list];
}

/** The list once a system is revoked: marked so at once, before the server's list comes back. */
export function withRevoked(
  items: readonly BusinessSystem[] | undefined,
  clientId: string,
  at: Date = new Date(),
): BusinessSystem[] {
  return (items ?? []).map((s) =>
    s.clientId === clientId && s.revokedAt === null ? { ...s, revokedAt: at.toISOString() } : s,
  );
}

/** Refusals the console explains in its own words. */
export function sharingProblem(error: unknown): 'notInstitution' | 'notFound' | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  if (error.code === 'IDENTITY_CLIENT_NOT_INSTITUTION') return 'notInstitution';
  if (error.code === 'IDENTITY_CLIENT_NOT_FOUND') return 'notFound';
  return undefined;
}

/**
 * The how-to's commands, with this platform's address: a token by the client credentials grant
 * (RFC 6749 §4.4, HTTP Basic), then a page of records with it. Commands are not translated.
 */
export function howToCommands(origin: string): { token: string; records: string } {
  const api = `${origin.replace(/\/+$/, '')}/api/v1`;
  return {
    token: [
      `curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials \\`,
      `  ${api}/oauth/token`,
      `# {"access_token":"dpc_…","token_type":"Bearer","expires_in":3600,"scope":"access:use"}`,
    ].join('\n'),
    records: [
      `curl -s -H "Authorization: Bearer $ACCESS_TOKEN" \\`,
      `  "${api}/datastore/$TABLE_ID/records?limit=100"`,
    ].join('\n'),
  };
}
