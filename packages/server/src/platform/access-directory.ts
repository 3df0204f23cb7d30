import { systemActor } from '../kernel/auth/index.ts';
import { NotFoundError } from '../kernel/errors.ts';
import type { AccessDirectory } from '../modules/access/index.ts';
import type { IdentityService } from '../modules/identity/index.ts';

const ACTOR = systemActor('access');
const PAGE = 500;

/** The access module's view of people and organisations, read through the identity module. */
export function accessDirectory(identity: IdentityService): AccessDirectory {
  async function orNone<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  return {
    async organization(id) {
      const org = await orNone(() => identity.getOrganization(id));
      if (org === undefined) return undefined;
      return { id: org.id, name: org.name, nameEn: org.nameEn, kind: org.kind, creditCode: org.creditCode };
    },
    async reviewers(organizationId) {
      const members = await orNone(() => identity.listMembers(ACTOR, organizationId));
      return (members?.items ?? [])
        .filter((m) => m.role === 'admin' || m.role === 'editor')
        .map((m) => m.userId);
    },
    async operators() {
      // Operators are a handful among all users; read page by page rather than hold every user at once.
      const ids: string[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = await identity.listUsers(ACTOR, undefined, offset, PAGE);
        for (const user of page.items)
          if (!user.disabled && user.platformRoles.includes('operator')) ids.push(user.id);
        if (offset + PAGE >= page.total || page.items.length === 0) return ids;
      }
    },
    async contact(userId) {
      const actor = await orNone(() => identity.resolveUserActor(userId));
      if (actor === undefined) return undefined;
      const user = await identity.userByUsername(actor.username);
      return user === undefined ? undefined : { username: user.username, email: user.email };
    },
  };
}
