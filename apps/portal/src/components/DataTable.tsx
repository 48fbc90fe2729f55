// A data table: a labelled region that scrolls sideways on a phone, a header row, one row per item, and an
// empty state instead of a header-only table when there are no items.
import type { ReactNode } from 'react';
import { TableWrap } from './ui';

/** A header cell: its text, or a text only screen readers see (e.g. the column of row actions). */
export type Column = string | { hidden: string };

export function DataTable<T>({
  label,
  columns,
  rows,
  row,
  empty,
  testId,
}: {
  /** The accessible name of the scrolling region. */
  label: string;
  columns: Column[];
  /** Nothing is shown while the rows are not loaded (undefined or null). */
  rows: readonly T[] | undefined | null;
  row: (item: T, index: number) => ReactNode;
  /** Shown instead of the table when there are no rows; without it an empty table is shown. */
  empty?: ReactNode;
  testId?: string;
}) {
  if (!rows) return null;
  if (!rows.length && empty !== undefined) return <>{empty}</>;
  return (
    <TableWrap label={label}>
      <table data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c, i) =>
              typeof c === 'string' ? (
                <th scope="col" key={i}>
                  {c}
                </th>
              ) : (
                <th scope="col" key={i}>
                  <span className="visually-hidden">{c.hidden}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{rows.map(row)}</tbody>
      </table>
    </TableWrap>
  );
}
