import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../api/types.ts';
import { useSession } from '../auth/session.ts';
import { ButtonLink } from '../catalog/button-link.tsx';

/** Those the server lets scan and de-identify a table: its managers, security officers and operators. */
export function maySecureResource(
  resource: { access: { manage: boolean } },
  user: SessionUser | undefined,
): boolean {
  if (user === undefined) return false;
  return (
    resource.access.manage || user.platformRoles.some((r) => r === 'security_officer' || r === 'operator')
  );
}

/** The way from a data table to its scan, risk assessment and de-identification; shown only to those allowed. */
export function SecurityResourceLink({
  resource,
}: {
  resource: { id: string; access: { manage: boolean } };
}) {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  if (!maySecureResource(resource, user)) return null;
  return (
    <ButtonLink to={`/security/resources/${encodeURIComponent(resource.id)}`}>
      {t('securityResources.link')}
    </ButtonLink>
  );
}
