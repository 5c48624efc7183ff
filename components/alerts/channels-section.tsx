"use client";

import { useState } from "react";
import type { ChannelView } from "@/lib/api/alerts";
import { CHANNEL_TYPE_LABELS, SOURCE_LABELS, targetLines } from "@/lib/view/alerts/channels";
import { BUTTON, DANGER_BUTTON } from "@/components/ui/controls";
import { Panel } from "@/components/ui/panel";
import { Switch } from "@/components/ui/switch";
import { DataTable } from "@/components/ui/table-head";
import { Tag } from "@/components/ui/tag";
import { ChannelForm } from "./channel-form";
import { ChannelStatusText } from "./channel-status";
import { ChannelTest } from "./channel-test";
import { Deliveries } from "./deliveries";
import { useAlertWrite, useChannels } from "./queries";
import { AddButton, SectionList } from "./section-list";

const SOURCE_HELP = {
  env: "Configured by the environment (ALERT_* settings): change it there; here it can only be enabled or disabled",
  builtin: "Inflight's own feed behind the bell",
} as const;

/** Where alerts are told: the bell, the channels the environment configures, and those made here; with their recent deliveries. */
export function ChannelsSection() {
  const channels = useChannels();
  const write = useAlertWrite();
  const [editing, setEditing] = useState<ChannelView | "new" | null>(null);
  const list = channels.data?.channels ?? [];

  const setEnabled = (c: ChannelView, enabled: boolean) => write.mutate({ url: `/api/alerts/channels/${encodeURIComponent(c.id)}`, method: "PATCH", body: { enabled } });
  const remove = (c: ChannelView) =>
    confirm(`Remove the channel “${c.name}”? Its queued notifications are marked failed.`) && write.mutate({ url: `/api/alerts/channels/${encodeURIComponent(c.id)}`, method: "DELETE" });

  return (
    <Panel
      id="channels"
      title="Channels"
      note="Every alert goes to each enabled channel without a team, and to those of its key's team. A channel that fails too often in a row pauses until resumed; what queued meanwhile goes out then."
      actions={<AddButton label="Add channel" hidden={editing !== null} onClick={() => setEditing("new")} />}
    >
      <SectionList what="channels" read={channels} writeError={write.error}>
        {(data) => (
          <DataTable testId="channels-table" columns={["Name", "Type", "Team", "Target", "Status", "Test", "Enabled", ""]}>
            {data.channels.map((c) => (
              <tr key={c.id} data-testid="channel-row" data-channel-id={c.id} className="border-t border-zinc-100 align-top dark:border-zinc-800">
                <td className="py-2 pr-3">
                  <span className="font-medium">{c.name}</span>
                  {c.source !== "ui" ? (
                    <span className="ml-2">
                      <Tag tone={c.source === "env" ? "violet" : "sky"} title={SOURCE_HELP[c.source]} testId="channel-source">
                        {SOURCE_LABELS[c.source]}
                      </Tag>
                    </span>
                  ) : null}
                </td>
                <td className="py-2 pr-3">{CHANNEL_TYPE_LABELS[c.type]}</td>
                <td className="whitespace-nowrap py-2 pr-3 text-zinc-600 dark:text-zinc-400">{c.teamId ?? "every team"}</td>
                <td className="max-w-72 py-2 pr-3 font-mono text-xs text-zinc-600 dark:text-zinc-400" data-testid="channel-target">
                  {targetLines(c).map((t) => (
                    <span key={t} className="block break-all">
                      {t}
                    </span>
                  ))}
                </td>
                <td className="py-2 pr-3">
                  <ChannelStatusText channel={c} />
                  {c.pausedAtMs !== null ? (
                    <button type="button" className={`${BUTTON} mt-1`} onClick={() => write.mutate({ url: `/api/alerts/channels/${encodeURIComponent(c.id)}/resume` })}>
                      Resume
                    </button>
                  ) : null}
                </td>
                <td className="py-2 pr-3">
                  <ChannelTest channelId={c.id} name={c.name} />
                </td>
                <td className="py-2 pr-3">
                  <Switch checked={c.enabled} label={`${c.name} enabled`} disabled={write.isPending} onChange={(on) => setEnabled(c, on)} />
                </td>
                <td className="space-x-2 whitespace-nowrap py-2 text-right">
                  {c.source === "ui" ? (
                    <>
                      <button type="button" className={BUTTON} onClick={() => setEditing(c)}>
                        Edit
                      </button>
                      <button type="button" className={DANGER_BUTTON} onClick={() => remove(c)}>
                        Delete
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </SectionList>
      {editing !== null ? (
        <ChannelForm key={editing === "new" ? "new" : editing.id} channel={editing === "new" ? null : editing} allowedHosts={channels.data?.allowedHosts ?? []} onDone={() => setEditing(null)} />
      ) : null}
      <Deliveries channels={list} />
    </Panel>
  );
}
