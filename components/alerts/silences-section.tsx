"use client";

import { silenceScope } from "@/lib/view/alerts/silences";
import { formatDuration } from "@/lib/view/format/duration";
import { utcStamp } from "@/lib/view/format/time";
import { DANGER_BUTTON } from "@/components/ui/controls";
import { Panel } from "@/components/ui/panel";
import { TableHead } from "@/components/ui/table-head";
import { useNow } from "@/components/shell/use-now";
import { useAlertWrite, useRules, useSilences } from "./queries";
import { SectionList } from "./section-list";
import { SilenceForm } from "./silence-form";

/** Silences in force (alerts still open and show on the Alerts page; only their notifications are held back), and a form for a new one. */
export function SilencesSection() {
  const silences = useSilences();
  const rules = useRules();
  const end = useAlertWrite();
  const now = useNow(30_000);
  const ruleName = (id: string) => rules.data?.rules.find((r) => r.id === id)?.name ?? id;

  return (
    <Panel id="silences" title="Silences" note="A silence holds back notifications of what it matches until it ends; alerts still open and show on the Alerts page.">
      <SectionList what="silences" read={silences} writeError={end.error}>
        {(data) =>
          data.silences.length === 0 ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">No silence in force.</p>
          ) : (
            <table className="w-full text-sm" data-testid="silences-table">
              <TableHead columns={["Mutes", "Ends", "Why", "By", ""]} />
              <tbody>
                {data.silences.map((s) => (
                  <tr key={s.id} data-testid="silence-row" className="border-t border-zinc-100 align-top dark:border-zinc-800">
                    <td className="py-2 pr-3">{silenceScope(s, ruleName)}</td>
                    <td className="whitespace-nowrap py-2 pr-3" title={utcStamp(s.endsAtMs)}>
                      in {formatDuration(Math.max(0, s.endsAtMs - now))}
                    </td>
                    <td className="py-2 pr-3">{s.comment}</td>
                    <td className="py-2 pr-3 text-zinc-600 dark:text-zinc-400">{s.createdBy}</td>
                    <td className="py-2 text-right">
                      <button type="button" className={DANGER_BUTTON} disabled={end.isPending} onClick={() => end.mutate({ url: `/api/alerts/silences/${encodeURIComponent(s.id)}`, method: "DELETE" })}>
                        End now
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </SectionList>
      <SilenceForm rules={rules.data?.rules ?? []} />
    </Panel>
  );
}
