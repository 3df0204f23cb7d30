import { lazy } from 'react';
import { createBrowserRouter, useParams } from 'react-router';
import { isOrganizationAdmin, PERMISSIONS } from '../features/auth/session.ts';
import { SignInPage } from '../features/auth/sign-in-page.tsx';
import { HomePage } from '../features/home/home-page.tsx';
import { RequireUser } from './guards.tsx';
import { Layout } from './layout.tsx';
import { NotFoundPage, RouteErrorPage } from './status-pages.tsx';

// Signed-in areas load on demand so the public home page stays light.
const AccountPage = lazy(() =>
  import('../features/account/account-page.tsx').then((m) => ({ default: m.AccountPage })),
);
const OrganizationsPage = lazy(() =>
  import('../features/admin/organizations-page.tsx').then((m) => ({ default: m.OrganizationsPage })),
);
const OrganizationMembersPage = lazy(() =>
  import('../features/admin/organization-members-page.tsx').then((m) => ({
    default: m.OrganizationMembersPage,
  })),
);
const UsersPage = lazy(() =>
  import('../features/admin/users-page.tsx').then((m) => ({ default: m.UsersPage })),
);
const AuditPage = lazy(() =>
  import('../features/audit/audit-page.tsx').then((m) => ({ default: m.AuditPage })),
);

/** Operators manage every organisation; an organisation's own admins manage its members. */
function MembersRoute() {
  const { id = '' } = useParams();
  return (
    <RequireUser permission={PERMISSIONS.manageOrganizations} allow={(user) => isOrganizationAdmin(user, id)}>
      <OrganizationMembersPage />
    </RequireUser>
  );
}

export function createRouter() {
  return createBrowserRouter([
    {
      element: <Layout />,
      errorElement: <RouteErrorPage />,
      children: [
        { index: true, element: <HomePage /> },
        { path: 'sign-in', element: <SignInPage /> },
        {
          path: 'account',
          element: (
            <RequireUser>
              <AccountPage />
            </RequireUser>
          ),
        },
        {
          path: 'admin/organizations',
          element: (
            <RequireUser permission={PERMISSIONS.manageOrganizations}>
              <OrganizationsPage />
            </RequireUser>
          ),
        },
        { path: 'admin/organizations/:id', element: <MembersRoute /> },
        {
          path: 'admin/users',
          element: (
            <RequireUser permission={PERMISSIONS.manageUsers}>
              <UsersPage />
            </RequireUser>
          ),
        },
        {
          path: 'audit',
          element: (
            <RequireUser permission={PERMISSIONS.readLedgerEntries}>
              <AuditPage />
            </RequireUser>
          ),
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}
