"use client";

import Link from "next/link";
import type { ChannelView } from "@/lib/api/alerts";
import { alertHref } from "@/lib/view/alerts/list-state";
import { nextTry, phaseLabel } from "@/lib/view/alerts/alert-view";
import { shortHash } from "@/lib/view/format/keys";
import { ago, utcStamp } from "@/lib/view/format/time";
import { LINK } from "@/components/ui/controls";
import { DataTable } from "@/components/ui/table-head";
import { useNow } from "@/components/shell/use-now";
import { DeliveryStatus } from "./delivery-status";
import { useDeliveries } from "./queries";
import { ResendButton } from "./resend-button";
import { SectionList } from "./section-list";

const SHOWN = 25;

/** The newest deliveries over every channel: what went out, what is retrying, what failed (and may be resent). */
export function Deliveries({ channels }: { channels: ChannelView[] }) {
  const deliveries = useDeliveries(SHOWN);
  const now = useNow(15_000);
  const names = new Map(channels.map((c) => [c.id, c.name]));
  return (
    <div className="space-y-2 border-t border-zinc-100 pt-4 dark:border-zinc-800">
      <h3 className="text-sm font-semibold">Recent deliveries</h3>
      <SectionList what="deliveries" read={deliveries}>
        {({ notifications }) =>
          notifications.length === 0 ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">Nothing delivered yet: every notification of every channel is listed here once an alert fires.</p>
          ) : (
            <DataTable testId="deliveries-table" columns={["Queued", "Channel", "Alert", "Status", "Attempts", "Last error, next try", ""]} right={["Attempts"]}>
              {notifications.map((n) => (
                <tr key={n.id} data-testid="delivery-row" className="border-t border-zinc-100 align-top dark:border-zinc-800">
                  <td className="whitespace-nowrap py-1.5 pr-3 text-zinc-600 dark:text-zinc-400" title={utcStamp(n.createdAtMs)}>
                    {ago(n.createdAtMs, now)}
                  </td>
                  <td className="py-1.5 pr-3">{names.get(n.channelId) ?? "(removed channel)"}</td>
                  <td className="py-1.5 pr-3">
                    <Link href={alertHref(n.alertId)} className={LINK}>
                      {phaseLabel(n.payload.detector, n.phase)}
                    </Link>
                    <span className="block text-xs text-zinc-500">
                      {n.payload.keyAlias ?? "key"} · {shortHash(n.payload.keyHash)}
                    </span>
                  </td>
                  <td className="py-1.5 pr-3">
                    <DeliveryStatus status={n.status} />
                  </td>
                  <td className="py-1.5 pr-3 text-right tabular-nums">{n.attempts}</td>
                  <td className="max-w-72 py-1.5 pr-3 text-xs">
                    <span className="text-rose-700 dark:text-rose-300">{n.status === "sent" ? "" : (n.lastError ?? "")}</span>
                    {nextTry(n, now) ? <span className="block text-zinc-500 dark:text-zinc-400">{nextTry(n, now)}</span> : null}
                  </td>
                  <td className="py-1.5 text-right">{n.status === "failed" ? <ResendButton notificationId={n.id} /> : null}</td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </SectionList>
    </div>
  );
}
