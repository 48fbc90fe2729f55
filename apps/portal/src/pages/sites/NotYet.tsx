import { Empty } from '../../components/ui';

export function NotYet({ what }: { what: string }) {
  return (
    <Empty title={`${what} are not available on this server yet.`}>
      The metering service has not been switched on in this version of Halve. This page fills in as soon as it
      is.
    </Empty>
  );
}
