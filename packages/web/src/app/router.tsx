import { lazy } from 'react';
import { createBrowserRouter, useParams } from 'react-router';
import { isReviewer, mayOpenPlans } from '../features/access/access-roles.ts';
import { isOrganizationAdmin, PERMISSIONS } from '../features/auth/session.ts';
import { SignInPage } from '../features/auth/sign-in-page.tsx';
import { HomePage } from '../features/home/home-page.tsx';
import { mayOpenGrading } from '../features/security-grading/grading-levels.ts';
import { mayOpenSharing } from '../features/sharing/sharing-console.ts';
import { mayReadUsage } from '../features/usage/usage-view.ts';
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
const CatalogSearchPage = lazy(() =>
  import('../features/catalog/catalog-search-page.tsx').then((m) => ({ default: m.CatalogSearchPage })),
);
const EntryPage = lazy(() =>
  import('../features/catalog/entry-page.tsx').then((m) => ({ default: m.EntryPage })),
);
const EntryEditorPage = lazy(() =>
  import('../features/catalog/entry-editor-page.tsx').then((m) => ({ default: m.EntryEditorPage })),
);
const InstitutionsPage = lazy(() =>
  import('../features/catalog/institutions-page.tsx').then((m) => ({ default: m.InstitutionsPage })),
);
const InstitutionPage = lazy(() =>
  import('../features/catalog/institution-page.tsx').then((m) => ({ default: m.InstitutionPage })),
);
const MyCatalogPage = lazy(() =>
  import('../features/catalog/my-catalog-page.tsx').then((m) => ({ default: m.MyCatalogPage })),
);
const ReviewQueuePage = lazy(() =>
  import('../features/catalog/review-queue-page.tsx').then((m) => ({ default: m.ReviewQueuePage })),
);
const SubmissionPage = lazy(() =>
  import('../features/catalog/submission-page.tsx').then((m) => ({ default: m.SubmissionPage })),
);
const ImportPage = lazy(() =>
  import('../features/catalog/import-page.tsx').then((m) => ({ default: m.ImportPage })),
);
const ApplyPage = lazy(() =>
  import('../features/access/apply-page.tsx').then((m) => ({ default: m.ApplyPage })),
);
const ApplicationsPage = lazy(() =>
  import('../features/access/applications-page.tsx').then((m) => ({ default: m.ApplicationsPage })),
);
const ApplicationPage = lazy(() =>
  import('../features/access/application-page.tsx').then((m) => ({ default: m.ApplicationPage })),
);
const GrantsPage = lazy(() =>
  import('../features/access/grants-page.tsx').then((m) => ({ default: m.GrantsPage })),
);
const AccessReviewPage = lazy(() =>
  import('../features/access/review-page.tsx').then((m) => ({ default: m.ReviewPage })),
);
const CentrePage = lazy(() =>
  import('../features/access/review-page.tsx').then((m) => ({ default: m.CentrePage })),
);
const NotificationsPage = lazy(() =>
  import('../features/access/notifications-page.tsx').then((m) => ({ default: m.NotificationsPage })),
);
const PlansPage = lazy(() =>
  import('../features/opening/plans-page.tsx').then((m) => ({ default: m.PlansPage })),
);
const SecurityDashboardPage = lazy(() =>
  import('../features/security-grading/security-dashboard-page.tsx').then((m) => ({
    default: m.SecurityDashboardPage,
  })),
);
const GradingPage = lazy(() =>
  import('../features/security-grading/grading-page.tsx').then((m) => ({ default: m.GradingPage })),
);
const ImportantDataPage = lazy(() =>
  import('../features/security-grading/important-data-page.tsx').then((m) => ({
    default: m.ImportantDataPage,
  })),
);
const OfficersPage = lazy(() =>
  import('../features/security-grading/officers-page.tsx').then((m) => ({ default: m.OfficersPage })),
);
const AlertsPage = lazy(() =>
  import('../features/security-alerts/alerts-page.tsx').then((m) => ({ default: m.AlertsPage })),
);
const IncidentsPage = lazy(() =>
  import('../features/security-incidents/incidents-page.tsx').then((m) => ({ default: m.IncidentsPage })),
);
const IncidentPage = lazy(() =>
  import('../features/security-incidents/incident-page.tsx').then((m) => ({ default: m.IncidentPage })),
);
const NewIncidentPage = lazy(() =>
  import('../features/security-incidents/new-incident-page.tsx').then((m) => ({
    default: m.NewIncidentPage,
  })),
);
const TransfersPage = lazy(() =>
  import('../features/security-transfers/transfers-page.tsx').then((m) => ({ default: m.TransfersPage })),
);
const TransferPage = lazy(() =>
  import('../features/security-transfers/transfer-page.tsx').then((m) => ({ default: m.TransferPage })),
);
const TransferFormPage = lazy(() =>
  import('../features/security-transfers/transfer-form-page.tsx').then((m) => ({
    default: m.TransferFormPage,
  })),
);
const PlanPage = lazy(() =>
  import('../features/opening/plan-page.tsx').then((m) => ({ default: m.PlanPage })),
);
const CityPlanPage = lazy(() =>
  import('../features/opening/city-plan-page.tsx').then((m) => ({ default: m.CityPlanPage })),
);
const UsagePage = lazy(() =>
  import('../features/usage/usage-page.tsx').then((m) => ({ default: m.UsagePage })),
);
const SharingPage = lazy(() =>
  import('../features/sharing/sharing-page.tsx').then((m) => ({ default: m.SharingPage })),
);
const ResourcePage = lazy(() =>
  import('../features/datastore/resource-page.tsx').then((m) => ({ default: m.ResourcePage })),
);
const UploadPage = lazy(() =>
  import('../features/datastore/upload-page.tsx').then((m) => ({ default: m.UploadPage })),
);
const SecurityResourcePage = lazy(() =>
  import('../features/security-resources/security-resources-page.tsx').then((m) => ({
    default: m.SecurityResourcePage,
  })),
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
        { path: 'catalog', element: <CatalogSearchPage /> },
        { path: 'catalog/entries/:code', element: <EntryPage /> },
        {
          path: 'catalog/entries/:code/edit',
          element: (
            <RequireUser permission={PERMISSIONS.catalogEdit}>
              <EntryEditorPage />
            </RequireUser>
          ),
        },
        {
          path: 'catalog/new',
          element: (
            <RequireUser permission={PERMISSIONS.catalogEdit}>
              <EntryEditorPage />
            </RequireUser>
          ),
        },
        { path: 'catalog/institutions', element: <InstitutionsPage /> },
        { path: 'catalog/institutions/:code', element: <InstitutionPage /> },
        {
          path: 'catalog/mine',
          element: (
            <RequireUser>
              <MyCatalogPage />
            </RequireUser>
          ),
        },
        {
          path: 'catalog/review',
          element: (
            <RequireUser permission={PERMISSIONS.catalogReview}>
              <ReviewQueuePage />
            </RequireUser>
          ),
        },
        {
          path: 'catalog/review/:id',
          element: (
            <RequireUser permission={PERMISSIONS.catalogManageOwn}>
              <SubmissionPage />
            </RequireUser>
          ),
        },
        {
          path: 'catalog/import',
          element: (
            <RequireUser permission={PERMISSIONS.catalogHarvest}>
              <ImportPage />
            </RequireUser>
          ),
        },
        // Readable by anyone the table is open to; the page itself asks the server what the reader may do.
        { path: 'data/:id', element: <ResourcePage /> },
        {
          path: 'data/:id/upload',
          element: (
            <RequireUser>
              <UploadPage />
            </RequireUser>
          ),
        },
        {
          path: 'access/apply/:code',
          element: (
            <RequireUser>
              <ApplyPage />
            </RequireUser>
          ),
        },
        {
          path: 'access/applications',
          element: (
            <RequireUser>
              <ApplicationsPage />
            </RequireUser>
          ),
        },
        {
          path: 'access/applications/:id',
          element: (
            <RequireUser>
              <ApplicationPage />
            </RequireUser>
          ),
        },
        {
          path: 'access/grants',
          element: (
            <RequireUser>
              <GrantsPage />
            </RequireUser>
          ),
        },
        {
          path: 'access/review',
          element: (
            <RequireUser allow={isReviewer}>
              <AccessReviewPage />
            </RequireUser>
          ),
        },
        {
          path: 'access/centre',
          element: (
            <RequireUser allow={(user) => user.platformRoles.includes('operator')}>
              <CentrePage />
            </RequireUser>
          ),
        },
        {
          path: 'notifications',
          element: (
            <RequireUser>
              <NotificationsPage />
            </RequireUser>
          ),
        },
        {
          path: 'opening/plans',
          element: (
            <RequireUser allow={mayOpenPlans}>
              <PlansPage />
            </RequireUser>
          ),
        },
        {
          path: 'security',
          element: (
            <RequireUser allow={mayOpenGrading}>
              <SecurityDashboardPage />
            </RequireUser>
          ),
        },
        {
          path: 'security/grading/:code',
          element: (
            <RequireUser allow={mayOpenGrading}>
              <GradingPage />
            </RequireUser>
          ),
        },
        // Any signed-in user may ask; the server lets through the table's managers and security staff only.
        {
          path: 'security/resources/:id',
          element: (
            <RequireUser>
              <SecurityResourcePage />
            </RequireUser>
          ),
        },
        {
          path: 'security/important-data',
          element: (
            <RequireUser allow={mayOpenGrading}>
              <ImportantDataPage />
            </RequireUser>
          ),
        },
        {
          path: 'security/officers',
          element: (
            <RequireUser allow={mayOpenGrading}>
              <OfficersPage />
            </RequireUser>
          ),
        },
        {
          path: 'security/alerts',
          element: (
            <RequireUser permission="security-alerts:read">
              <AlertsPage />
            </RequireUser>
          ),
        },
        {
          path: 'security/incidents',
          element: (
            <RequireUser permission="security:incidents:read">
              <IncidentsPage />
            </RequireUser>
          ),
        },
        {
          path: 'security/incidents/new',
          element: (
            <RequireUser permission="security:incidents:manage">
              <NewIncidentPage />
            </RequireUser>
          ),
        },
        {
          path: 'security/incidents/:id',
          element: (
            <RequireUser permission="security:incidents:read">
              <IncidentPage />
            </RequireUser>
          ),
        },
        {
          path: 'security/transfers',
          element: (
            <RequireUser permission="security:transfers:read">
              <TransfersPage />
            </RequireUser>
          ),
        },
        {
          path: 'security/transfers/new',
          element: (
            <RequireUser permission="security:transfers:request">
              <TransferFormPage />
            </RequireUser>
          ),
        },
        {
          path: 'security/transfers/:id',
          element: (
            <RequireUser permission="security:transfers:read">
              <TransferPage />
            </RequireUser>
          ),
        },
        {
          path: 'opening/plans/:id',
          element: (
            <RequireUser allow={mayOpenPlans}>
              <PlanPage />
            </RequireUser>
          ),
        },
        {
          path: 'usage',
          element: (
            <RequireUser allow={mayReadUsage}>
              <UsagePage />
            </RequireUser>
          ),
        },
        {
          path: 'sharing',
          element: (
            <RequireUser allow={mayOpenSharing}>
              <SharingPage />
            </RequireUser>
          ),
        },
        // The city-wide plan is public; /opening shows this year's.
        { path: 'opening', element: <CityPlanPage /> },
        { path: 'opening/:year', element: <CityPlanPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}
