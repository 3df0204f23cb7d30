import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useAccessNavItems } from '../features/access/access-navigation.ts';
import { hasPermission, PERMISSIONS, useSession } from '../features/auth/session.ts';
import { useMyInstitutionCount } from '../features/catalog/use-my-institutions.ts';
import { maySeeSecurity } from '../features/security-grading/grading-levels.ts';
import { useUsageNavItems } from '../features/usage/usage-navigation.ts';

interface NavItem {
  to: string;
  label: string;
  end?: boolean;
}

/** Main navigation: only links the signed-in user may open, so nobody is led to a forbidden page. */
export function Navigation() {
  const { t } = useTranslation();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;

  const myInstitutions = useMyInstitutionCount(user);
  const accessItems = useAccessNavItems(user);
  const usageItems = useUsageNavItems(user);

  const items: NavItem[] = [
    { to: '/', label: t('nav.home'), end: true },
    // Exact match, so that only one entry is the current page under /catalog.
    { to: '/catalog', label: t('catalog.nav.catalog'), end: true },
  ];
  if (hasPermission(user, PERMISSIONS.catalogReview)) {
    items.push({ to: '/catalog/review', label: t('catalog.nav.review') });
  }
  if (myInstitutions > 0) {
    items.push({ to: '/catalog/mine', label: t('catalog.nav.mine') });
  }
  for (const item of accessItems) items.push({ to: item.to, label: t(item.key), end: item.end ?? false });
  for (const item of usageItems) items.push({ to: item.to, label: t(item.key) });
  // One entry for the security toolkit: its dashboard links to alerts, incidents and transfers.
  if (maySeeSecurity(user)) items.push({ to: '/security', label: t('securityGrading.nav') });
  if (hasPermission(user, PERMISSIONS.manageOrganizations)) {
    items.push({ to: '/admin/organizations', label: t('nav.organizations') });
  }
  if (hasPermission(user, PERMISSIONS.manageUsers)) {
    items.push({ to: '/admin/users', label: t('nav.users') });
  }
  if (hasPermission(user, PERMISSIONS.readLedgerEntries)) {
    items.push({ to: '/audit', label: t('nav.audit') });
  }
  if (user) items.push({ to: '/account', label: t('nav.account') });

  return (
    <nav className="dp-nav" aria-label={t('nav.label')}>
      <div className="dp-container">
        <ul>
          {items.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end ?? false}>
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </div>
    </nav>
  );
}
