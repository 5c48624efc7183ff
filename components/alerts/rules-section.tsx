"use client";

import { useState } from "react";
import type { RuleView } from "@/lib/api/alerts";
import { detectorLabel } from "@/lib/view/alerts/alert-view";
import { paramsLine, scopeLabel } from "@/lib/view/alerts/rule-draft";
import { BUTTON, DANGER_BUTTON } from "@/components/ui/controls";
import { Panel } from "@/components/ui/panel";
import { Switch } from "@/components/ui/switch";
import { DataTable } from "@/components/ui/table-head";
import { Tag } from "@/components/ui/tag";
import { useAlertWrite, useRules } from "./queries";
import { RuleForm } from "./rule-form";
import { AddButton, SectionList } from "./section-list";

/** The alert rules: each detector's thresholds and which keys it covers; built-in rules may be tuned or disabled, not removed. */
export function RulesSection() {
  const rules = useRules();
  const write = useAlertWrite();
  const [editing, setEditing] = useState<RuleView | "new" | null>(null);

  const toggle = (r: RuleView) =>
    write.mutate({ url: `/api/alerts/rules/${encodeURIComponent(r.id)}`, method: "PUT", body: { name: r.name, detector: r.detector, scope: r.scope, params: r.params, enabled: !r.enabled } });
  const remove = (r: RuleView) => confirm(`Remove the rule “${r.name}”? Its open alerts close; their notifications stay.`) && write.mutate({ url: `/api/alerts/rules/${encodeURIComponent(r.id)}`, method: "DELETE" });

  return (
    <Panel
      id="rules"
      title="Rules"
      note="What Inflight looks for, on which keys, with which thresholds. A rule only covers keys that have a max_parallel_requests."
      actions={<AddButton label="Add rule" hidden={editing !== null} onClick={() => setEditing("new")} />}
    >
      <SectionList what="rules" read={rules} writeError={write.error}>
        {(data) => (
          <DataTable testId="rules-table" columns={["Name", "Detector", "Applies to", "Thresholds", "Enabled", ""]}>
            {data.rules.map((r) => (
              <tr key={r.id} data-testid="rule-row" data-rule-id={r.id} className={`border-t border-zinc-100 align-top dark:border-zinc-800 ${r.enabled ? "" : "text-zinc-400 dark:text-zinc-500"}`}>
                <td className="py-2 pr-3">
                  <span className="font-medium">{r.name}</span>
                  {r.builtIn ? (
                    <span className="ml-2">
                      <Tag tone="sky" title="Made by Inflight: may be tuned or disabled, not removed">
                        built in
                      </Tag>
                    </span>
                  ) : null}
                </td>
                <td className="whitespace-nowrap py-2 pr-3">{detectorLabel(r.detector)}</td>
                <td className="whitespace-nowrap py-2 pr-3">{scopeLabel(r.scope)}</td>
                <td className="py-2 pr-3 text-xs text-zinc-600 dark:text-zinc-400">{paramsLine(r)}</td>
                <td className="py-2 pr-3">
                  <Switch checked={r.enabled} label={`${r.name} enabled`} disabled={write.isPending} onChange={() => toggle(r)} />
                </td>
                <td className="space-x-2 whitespace-nowrap py-2 text-right">
                  <button type="button" className={BUTTON} onClick={() => setEditing(r)}>
                    Edit
                  </button>
                  {!r.builtIn ? (
                    <button type="button" className={DANGER_BUTTON} onClick={() => remove(r)}>
                      Delete
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </SectionList>
      {editing !== null ? <RuleForm key={editing === "new" ? "new" : editing.id} rule={editing === "new" ? null : editing} onDone={() => setEditing(null)} /> : null}
    </Panel>
  );
}
