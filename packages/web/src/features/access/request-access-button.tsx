import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session.ts';
import { ButtonLink } from '../catalog/button-link.tsx';
import type { EntryMetadata } from '../catalog/catalog-types.ts';
import { useInstitutions } from '../catalog/use-catalog-data.ts';
import { isInstitutionMember } from './access-roles.ts';
import { availableKinds } from './apply-form.ts';

/**
 * "Request access" on a published entry that is open or shared on conditions. Hidden from the provider's
 * own members, who read it already; visitors see it and are asked to sign in.
 */
export function RequestAccessButton({ code, metadata }: { code: string; metadata: EntryMetadata }) {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const institutions = useInstitutions((user?.memberships.length ?? 0) > 0);
  if (user?.memberships.some((m) => m.organizationId === metadata.organizationId)) return null;
  const kinds = availableKinds(metadata, isInstitutionMember(user, institutions.data));
  const kind = kinds[0];
  if (kind === undefined) return null;
  return (
    <div style={{ marginTop: 12 }}>
      <ButtonLink
        type="primary"
        to={`/access/apply/${encodeURIComponent(code)}${kind === 'share' ? '?kind=share' : ''}`}
      >
        {t('access.requestAccess')}
      </ButtonLink>
    </div>
  );
}
