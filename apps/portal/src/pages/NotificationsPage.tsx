// /notifications: every in-portal notification of the user, newest first, with its text.
import { PageHeader } from '../components/Layout';
import { NotificationList, useNotifications } from '../components/Notifications';
import { ErrorBox, Loading } from '../components/ui';

export function NotificationsPage() {
  const { items, error, load } = useNotifications(false, true);
  const unread = items?.filter((n) => !n.readAt).length ?? 0;
  return (
    <>
      <PageHeader
        title="Notifications"
        subtitle={items ? `${unread} unread of ${items.length}` : undefined}
      />
      {error ? (
        <ErrorBox error={error} onRetry={load} />
      ) : !items ? (
        <Loading what="Loading notifications" />
      ) : (
        <div className="card">
          <NotificationList items={items} />
        </div>
      )}
    </>
  );
}
