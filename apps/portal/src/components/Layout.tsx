import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate, useParams } from 'react-router-dom';
import { useAuth } from '../auth/auth';
import type { OrgRole, OrgSummary } from '../api/types';
import { humanize } from '../lib/format';
import { NotificationBell } from './Notifications';
import { ResendVerificationButton } from './ResendVerification';

export const LAST_ORG_KEY = 'halve.lastOrg';

export const canWrite = (role: OrgRole | undefined) => role !== undefined && role !== 'viewer';
export const canAdmin = (role: OrgRole | undefined) => role === 'owner' || role === 'admin';
export const canDecide = (role: OrgRole | undefined) =>
  role === 'owner' || role === 'admin' || role === 'energy_manager';

interface OrgValue {
  org: OrgSummary;
  orgId: string;
  role: OrgRole;
  timezone: string;
  currency: string;
}
/** The organisation a page works in (exported for the component tests, which provide one). */
export const OrgContext = createContext<OrgValue | null>(null);
export function useOrg(): OrgValue {
  const ctx = useContext(OrgContext);
  if (!ctx) throw new Error('useOrg outside an organisation route');
  return ctx;
}

function Brand() {
  return (
    <Link to="/" className="brand" aria-label="Halve home">
      <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
        <circle cx="16" cy="16" r="15" fill="#14532d" />
        <path d="M16 1a15 15 0 0 1 0 30z" fill="#4ade80" />
      </svg>
      <span>Halve</span>
    </Link>
  );
}

function OrgSwitcher({ current }: { current?: string }) {
  const { orgs } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  if (!orgs.length) return null;
  return (
    <div className="org-switcher">
      <label htmlFor="org-switcher" className="visually-hidden">
        Organisation
      </label>
      <select
        id="org-switcher"
        value={current ?? ''}
        onChange={(e) => {
          if (e.target.value === '__new') return navigate('/organisations/new');
          // Stay on the same kind of page in the other organisation where it makes sense.
          const section = /^\/orgs\/[^/]+\/(\w[\w-]*)/.exec(location.pathname)?.[1];
          const keep =
            section &&
            ['sites', 'recommendations', 'claims', 'members', 'api-keys', 'settings'].includes(section)
              ? `/${section}`
              : '';
          navigate(`/orgs/${e.target.value}${keep}`);
        }}
      >
        {!current ? <option value="">Choose an organisation</option> : null}
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({humanize(o.role)})
          </option>
        ))}
        <option value="__new">+ New organisation…</option>
      </select>
    </div>
  );
}

function NavItems({ orgId, role, onNavigate }: { orgId?: string; role?: OrgRole; onNavigate: () => void }) {
  const { me } = useAuth();
  const bodies = me?.certificationBodies ?? [];
  const item = (to: string, label: string, end = false) => (
    <li>
      <NavLink to={to} end={end} onClick={onNavigate}>
        {label}
      </NavLink>
    </li>
  );
  return (
    <>
      {orgId && role ? (
        <>
          <p className="nav-heading">Business</p>
          <ul>
            {item(`/orgs/${orgId}`, 'Dashboard', true)}
            {item(`/orgs/${orgId}/sites`, 'Sites & meters')}
            {item(`/orgs/${orgId}/footprint`, 'Footprint data')}
            {item(`/orgs/${orgId}/bills`, 'Bills')}
            {item(`/orgs/${orgId}/starter`, 'Starter estimate')}
            {item(`/orgs/${orgId}/spend`, 'Purchases (spend)')}
            {item(`/orgs/${orgId}/claims`, 'Claims')}
            {item(`/orgs/${orgId}/reports`, 'Reports')}
          </ul>
          <p className="nav-heading">Energy management</p>
          <ul>
            {item(`/orgs/${orgId}/recommendations`, canDecide(role) ? 'Suggestion inbox' : 'Suggestions')}
          </ul>
          {canAdmin(role) ? (
            <>
              <p className="nav-heading">Organisation</p>
              <ul>
                {item(`/orgs/${orgId}/members`, 'Members & roles')}
                {item(`/orgs/${orgId}/api-keys`, 'API keys')}
                {item(`/orgs/${orgId}/settings`, 'Settings')}
              </ul>
            </>
          ) : (
            <ul>{item(`/orgs/${orgId}/members`, 'Members')}</ul>
          )}
        </>
      ) : null}
      {bodies.length ? (
        <>
          <p className="nav-heading">Certification</p>
          <ul>{bodies.map((b) => item(`/certifier/${b.id}`, `${b.name} queue`))}</ul>
        </>
      ) : null}
      <p className="nav-heading">Public</p>
      <ul>{item('/verify', 'Verify a certificate')}</ul>
    </>
  );
}

export function AppLayout({ children }: { children?: ReactNode }) {
  const { me, orgs, logout } = useAuth();
  const { orgId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const org = orgs.find((o) => o.id === orgId);

  useEffect(() => setMenuOpen(false), [location.pathname]);
  useEffect(() => {
    if (org) localStorage.setItem(LAST_ORG_KEY, org.id);
  }, [org]);

  const content = children ?? <Outlet />;
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Brand />
        <button
          type="button"
          className="menu-toggle btn secondary small"
          aria-expanded={menuOpen}
          aria-controls="sidenav"
          onClick={() => setMenuOpen((v) => !v)}
        >
          Menu
        </button>
        <OrgSwitcher current={org?.id} />
        <div className="user-menu">
          <NotificationBell />
          <span className="user-name" title={me?.email}>
            {me?.name}
          </span>
          <button
            type="button"
            className="btn secondary small"
            onClick={async () => {
              await logout();
              navigate('/login');
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <div className="body">
        <nav id="sidenav" className={`sidenav ${menuOpen ? 'open' : ''}`} aria-label="Main">
          <NavItems orgId={org?.id} role={org?.role} onNavigate={() => setMenuOpen(false)} />
        </nav>
        <main id="main" tabIndex={-1}>
          {me && me.emailVerified === false && location.pathname !== '/invitations/accept' ? (
            <div className="notice verify-banner" role="status">
              Confirm your e-mail address: open the link we sent to {me.email}, or{' '}
              <ResendVerificationButton />
            </div>
          ) : null}
          {orgId && !org ? (
            <div className="state error" role="alert">
              <p>
                This organisation was not found among yours. It may have been removed, or your membership
                ended.
              </p>
              <Link to="/">Go to your organisations</Link>
            </div>
          ) : org ? (
            <OrgContext.Provider
              value={{
                org,
                orgId: org.id,
                role: org.role,
                timezone: org.timezone ?? 'UTC',
                currency: org.currency ?? 'GBP',
              }}
            >
              {content}
            </OrgContext.Provider>
          ) : (
            content
          )}
        </main>
      </div>
    </div>
  );
}

export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
}) {
  useEffect(() => {
    if (typeof title === 'string') document.title = `${title} · Halve`;
  }, [title]);
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p className="subtitle">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}
