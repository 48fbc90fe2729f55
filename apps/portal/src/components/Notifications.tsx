// In-portal notifications (certification: claim submitted, changes requested, decision, revocation):
// the bell in the header with the unread count and its dropdown (the full list: pages/NotificationsPage).
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { api } from '../api/client';
import type { Notification } from '../api/types';
import { dateTime } from '../lib/format';
import { ErrorBox, Loading } from './ui';

const POLL_MS = 30_000;
/** Fired on window whenever a notification was marked as read, so the bell and the page agree. */
const CHANGED = 'halve:notifications-changed';

/** The portal route of the claim a notification concerns, or null. */
export function notificationHref(n: Notification): string | null {
  if (!n.claimId) return null;
  if (n.organizationId) return `/orgs/${n.organizationId}/claims/${n.claimId}`;
  if (n.certificationBodyId) return `/certifier/${n.certificationBodyId}/claims/${n.claimId}`;
  return n.link?.startsWith('/orgs/') ? n.link : null;
}

const newestFirst = (list: Notification[]) =>
  [...list].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));

async function markRead(id: string): Promise<void> {
  await api.post('/api/v1/me/notifications/{notificationId}/read', { path: { notificationId: id } });
  window.dispatchEvent(new Event(CHANGED));
}

/** All (or unread) notifications, with reload, and kept in step with marks made elsewhere. */
export function useNotifications(unreadOnly: boolean, enabled: boolean) {
  const [items, setItems] = useState<Notification[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const controller = useRef<AbortController | null>(null);
  const load = useCallback(() => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    api
      .get('/api/v1/me/notifications', { query: { unread: unreadOnly ? 'true' : 'false' }, signal: c.signal })
      .then(
        (list) => {
          if (c.signal.aborted) return;
          setItems(newestFirst(Array.isArray(list) ? list : []));
          setError(undefined);
        },
        (err: unknown) => {
          if (!c.signal.aborted) setError(err);
        },
      );
  }, [unreadOnly]);
  useEffect(() => {
    if (!enabled) return;
    load();
    window.addEventListener(CHANGED, load);
    return () => {
      window.removeEventListener(CHANGED, load);
      controller.current?.abort();
    };
  }, [load, enabled]);
  return { items, error, load, setItems };
}

export function NotificationList({
  items,
  onOpen,
  compact = false,
}: {
  items: Notification[];
  onOpen?: () => void;
  compact?: boolean;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState<unknown>(undefined);
  if (!items.length) return <p className="muted notification-empty">You have no notifications.</p>;
  return (
    <>
      <ErrorBox error={failed} />
      <ul className={`notification-list ${compact ? 'compact' : ''}`} data-testid="notification-list">
        {items.map((n) => {
          const href = notificationHref(n);
          const unread = !n.readAt;
          return (
            <li
              key={n.id}
              className={`notification ${unread ? 'unread' : 'read'}`}
              data-testid="notification"
              data-unread={unread ? 'true' : 'false'}
              data-kind={n.kind}
            >
              <p className="notification-title">
                {unread ? <span className="visually-hidden">Unread: </span> : null}
                {n.title}
              </p>
              {!compact ? <p className="notification-body">{n.body}</p> : null}
              <p className="notification-meta muted small">
                <time dateTime={n.createdAt}>{dateTime(n.createdAt)}</time>
              </p>
              <div className="button-row">
                {href ? (
                  <Link
                    to={href}
                    className="btn secondary small"
                    onClick={() => {
                      if (unread) void markRead(n.id).catch(() => undefined);
                      onOpen?.();
                    }}
                  >
                    Open claim
                  </Link>
                ) : null}
                {unread ? (
                  <button
                    type="button"
                    className="btn secondary small"
                    disabled={busy === n.id}
                    aria-label={`Mark as read: ${n.title}`}
                    onClick={async () => {
                      setBusy(n.id);
                      setFailed(undefined);
                      try {
                        await markRead(n.id);
                      } catch (err) {
                        setFailed(err);
                      } finally {
                        setBusy(null);
                      }
                    }}
                  >
                    Mark as read
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The header bell: unread count (polled every 30 s and on navigation) and a dropdown list. */
export function NotificationBell() {
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const unread = useNotifications(true, true);
  const all = useNotifications(false, open);
  const { load } = unread;

  // On navigation, and every 30 s while the tab is visible.
  useEffect(() => {
    load();
  }, [location.pathname, load]);
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (!document.hidden) load();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [load]);
  useEffect(() => setOpen(false), [location.pathname]);

  // Escape closes and gives focus back to the bell; a click elsewhere closes.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  const count = unread.items?.length ?? 0;
  const label = count ? `Notifications, ${count} unread` : 'Notifications, none unread';
  return (
    <div className="notification-bell" ref={wrap}>
      <button
        ref={button}
        type="button"
        className="bell-button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        data-testid="notification-bell"
        data-count={count}
        onClick={() => setOpen((v) => !v)}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"
          />
        </svg>
        {count ? (
          <span className="bell-count" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </span>
        ) : null}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {count ? `${count} unread notification${count === 1 ? '' : 's'}` : ''}
      </span>
      {open ? (
        <div id={panelId} className="notification-panel" role="region" aria-label="Notifications">
          <div className="notification-panel-head">
            <h2>Notifications</h2>
            <Link to="/notifications" className="small">
              See all
            </Link>
          </div>
          {all.error ? (
            <ErrorBox error={all.error} onRetry={all.load} />
          ) : !all.items ? (
            <Loading what="Loading notifications" />
          ) : (
            <NotificationList items={all.items.slice(0, 10)} compact onOpen={() => setOpen(false)} />
          )}
        </div>
      ) : null}
    </div>
  );
}
