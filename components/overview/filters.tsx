"use client";

import type { TableState } from "@/lib/view/table-state";

export function OverviewFilters({ table, teams, onChange }: { table: TableState; teams: string[]; onChange: (t: Partial<TableState>) => void }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor="key-filter">
        Filter keys
      </label>
      <input
        id="key-filter"
        type="search"
        placeholder="Filter by alias, hash or team"
        defaultValue={table.q}
        onChange={(e) => onChange({ q: e.target.value })}
        className="w-64 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm placeholder:text-zinc-400 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500 dark:border-zinc-700 dark:bg-zinc-900"
      />
      <label className="sr-only" htmlFor="team-filter">
        Team
      </label>
      <select
        id="team-filter"
        value={table.team ?? ""}
        onChange={(e) => onChange({ team: e.target.value || null })}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500 dark:border-zinc-700 dark:bg-zinc-900"
      >
        <option value="">All teams</option>
        {teams.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
    </div>
  );
}
