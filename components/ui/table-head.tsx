import type { ReactNode } from "react";

/** A table's column heads, small and muted; the columns named in `right` hold numbers (aligned right). An empty head is an actions column. */
export function TableHead({ columns, right = [] }: { columns: string[]; right?: string[] }) {
  return (
    <thead className="text-left text-xs text-zinc-500 dark:text-zinc-400">
      <tr>
        {columns.map((c, i) => (
          <th key={c || `col-${i}`} scope="col" className={`py-1.5 pr-3 font-medium last:pr-0 ${right.includes(c) ? "text-right" : ""}`}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A settings list as a table: its heads, then its rows (scrolls sideways when the page is narrow). */
export function DataTable({ testId, columns, right, children }: { testId: string; columns: string[]; right?: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid={testId}>
        <TableHead columns={columns} right={right} />
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
