import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { ReactNode } from 'react';
import { useAuth } from './auth/auth';
import { AppLayout, LAST_ORG_KEY } from './components/Layout';
import { Empty, Loading } from './components/ui';
import { AcceptInvitationPage } from './pages/auth/AcceptInvitationPage';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage';
import { LoginPage } from './pages/auth/LoginPage';
import { NewOrganisationPage } from './pages/auth/NewOrganisationPage';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage';
import { SignupPage } from './pages/auth/SignupPage';
import { VerifyEmailPage } from './pages/auth/VerifyEmailPage';
import { CertifierClaimPage } from './pages/claims/CertifierClaimPage';
import { CertifierQueuePage } from './pages/claims/CertifierQueuePage';
import { ClaimPage } from './pages/claims/ClaimPage';
import { ClaimsPage } from './pages/claims/ClaimsPage';
import { VerifyPage } from './pages/claims/VerifyPage';
import { SurveyPage } from './pages/survey/SurveyPage';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { FootprintDataPage } from './pages/footprint/FootprintDataPage';
import { BillsPage } from './pages/bills/BillsPage';
import { MeterPage } from './pages/meter/MeterPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { ApiKeysPage } from './pages/org/ApiKeysPage';
import { MembersPage } from './pages/org/MembersPage';
import { SettingsPage } from './pages/org/SettingsPage';
import { ReportsPage } from './pages/reports/ReportsPage';
import { RecommendationPage } from './pages/recommendations/RecommendationPage';
import { RecommendationsPage } from './pages/recommendations/RecommendationsPage';
import { SitePage } from './pages/sites/SitePage';
import { SitesPage } from './pages/sites/SitesPage';
import { StarterPage } from './pages/starter/StarterPage';
import { SpendPage } from './pages/spend/SpendPage';

function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <Loading what="Opening Halve" />;
  if (status === 'anonymous')
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

function Home() {
  const { orgs, me } = useAuth();
  const last = localStorage.getItem(LAST_ORG_KEY);
  const target = orgs.find((o) => o.id === last) ?? orgs[0];
  if (target) return <Navigate to={`/orgs/${target.id}`} replace />;
  if (me?.certificationBodies.length)
    return <Navigate to={`/certifier/${me.certificationBodies[0].id}`} replace />;
  return (
    <AppLayout>
      <Empty title="You are not a member of any organisation yet.">
        Create one with “New organisation” in the organisation menu, or accept an invitation.
      </Empty>
    </AppLayout>
  );
}

function GuestOnly({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'authenticated') {
    // Signed in (e.g. just signed up by invitation): on to the invitation, or where the login was going.
    const params = new URLSearchParams(location.search);
    const invitation = params.get('invitation');
    const next = params.get('next');
    const to = invitation
      ? `/invitations/accept?token=${encodeURIComponent(invitation)}`
      : next?.startsWith('/') && !next.startsWith('//')
        ? next
        : '/';
    return <Navigate to={to} replace />;
  }
  if (status === 'loading') return <Loading what="Opening Halve" />;
  return <>{children}</>;
}

export function App() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <GuestOnly>
            <LoginPage />
          </GuestOnly>
        }
      />
      <Route
        path="/signup"
        element={
          <GuestOnly>
            <SignupPage />
          </GuestOnly>
        }
      />
      <Route path="/verify-email" element={<VerifyEmailPage />} />
      <Route
        path="/forgot-password"
        element={
          <GuestOnly>
            <ForgotPasswordPage />
          </GuestOnly>
        }
      />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/verify" element={<VerifyPage />} />
      <Route path="/verify/:number" element={<VerifyPage />} />
      <Route path="/survey/:token" element={<SurveyPage />} />
      <Route
        path="/"
        element={
          <RequireAuth>
            <Home />
          </RequireAuth>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route path="/organisations/new" element={<NewOrganisationPage />} />
        <Route path="/notifications" element={<NotificationsPage />} />
        <Route path="/invitations/accept" element={<AcceptInvitationPage />} />
        <Route path="/certifier/:bodyId" element={<CertifierQueuePage />} />
        <Route path="/certifier/:bodyId/claims/:claimId" element={<CertifierClaimPage />} />
        <Route path="/orgs/:orgId">
          <Route index element={<DashboardPage />} />
          <Route path="sites" element={<SitesPage />} />
          <Route path="sites/:siteId" element={<SitePage />} />
          <Route path="meters/:meterId" element={<MeterPage />} />
          <Route path="footprint" element={<FootprintDataPage />} />
          <Route path="bills" element={<BillsPage />} />
          <Route path="starter" element={<StarterPage />} />
          <Route path="spend" element={<SpendPage />} />
          <Route path="recommendations" element={<RecommendationsPage />} />
          <Route path="recommendations/:id" element={<RecommendationPage />} />
          <Route path="claims" element={<ClaimsPage />} />
          <Route path="reports" element={<ReportsPage />} />
          <Route path="claims/:claimId" element={<ClaimPage />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="api-keys" element={<ApiKeysPage />} />
          <Route path="settings" element={<SettingsPage />} />
        </Route>
        <Route
          path="*"
          element={<Empty title="This page does not exist.">Use the menu to find your way.</Empty>}
        />
      </Route>
    </Routes>
  );
}
