import { formatLimit, shortHash } from "@/lib/format/keys";
import type { KeyRow } from "@/lib/keys/key-row";

export function KeysTable({ keys }: { keys: KeyRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-left text-sm" data-testid="keys-table">
        <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-3 font-medium">Alias</th>
            <th scope="col" className="px-4 py-3 font-medium">Key hash</th>
            <th scope="col" className="px-4 py-3 font-medium">Team</th>
            <th scope="col" className="px-4 py-3 text-right font-medium">Max parallel</th>
            <th scope="col" className="px-4 py-3 text-right font-medium">RPM limit</th>
            <th scope="col" className="px-4 py-3 text-right font-medium">TPM limit</th>
            <th scope="col" className="px-4 py-3 font-medium">State</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {keys.map((k) => (
            <tr key={k.hash} data-testid="key-row" className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
              <td className="px-4 py-3 font-medium">
                {k.alias ?? <span className="text-zinc-400 italic dark:text-zinc-500">no alias</span>}
              </td>
              <td className="px-4 py-3 font-mono text-xs text-zinc-500 dark:text-zinc-400" title={k.hash}>
                {shortHash(k.hash)}
              </td>
              <td className="px-4 py-3 text-zinc-600 dark:text-zinc-300">{k.teamId ?? "—"}</td>
              <LimitCell value={k.maxParallelRequests} />
              <LimitCell value={k.rpmLimit} />
              <LimitCell value={k.tpmLimit} />
              <td className="px-4 py-3">
                {k.blocked ? (
                  <span className="rounded-full bg-rose-100 px-2 py-0.5 text-xs font-medium text-rose-700 dark:bg-rose-950 dark:text-rose-300">blocked</span>
                ) : (
                  <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300">active</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LimitCell({ value }: { value: number | null }) {
  return (
    <td className={`px-4 py-3 text-right tabular-nums ${value === null ? "text-zinc-400 dark:text-zinc-500" : ""}`}>
      {formatLimit(value)}
    </td>
  );
}
