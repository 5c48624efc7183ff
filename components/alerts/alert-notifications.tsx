"use client";

import type { z } from "zod";
import type { AlertDetailSchema } from "@/lib/api/alerts";
import { nextTry, phaseLabel } from "@/lib/view/alerts/alert-view";
import { utcClock } from "@/lib/view/charts/time-axis";
import { formatDuration } from "@/lib/view/format/duration";
import { utcStamp } from "@/lib/view/format/time";
import { useNow } from "@/components/shell/use-now";
import { TableHead } from "@/components/ui/table-head";
import { DeliveryStatus } from "./delivery-status";
import { ResendButton } from "./resend-button";

type Detail = z.infer<typeof AlertDetailSchema>;
type Notification = Detail["notifications"][number];

/** Where the alert was told, channel by channel: each notification's status and every attempt (admins may resend a failed one). */
export function AlertNotifications({ alert, notifications, admin }: { alert: Detail["alert"]; notifications: Notification[]; admin: boolean }) {
  const now = useNow(1_000);
  if (notifications.length === 0) {
    return (
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        {alert.state === "pending" ? "Nothing told yet: the alert fires once the condition has held for the rule's min duration." : "No notification: a silence covered it, or no channel was enabled then."}
      </p>
    );
  }
  const byChannel = new Map<string, Notification[]>();
  for (const n of notifications) byChannel.set(n.channelName, [...(byChannel.get(n.channelName) ?? []), n]);
  return (
    <ul className="space-y-3">
      {[...byChannel].map(([channel, list]) => (
        <li key={channel} className="rounded-md border border-zinc-200 dark:border-zinc-800" data-testid="alert-channel">
          <p className="border-b border-zinc-100 px-3 py-1.5 text-sm font-medium dark:border-zinc-800">{channel}</p>
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {list.map((n) => (
              <li key={n.id} className="space-y-1.5 px-3 py-2" data-testid="alert-notification">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <DeliveryStatus status={n.status} />
                  <span>{alert.detector ? phaseLabel(alert.detector, n.phase) : n.phase}</span>
                  <span className="text-xs text-zinc-500 dark:text-zinc-400" title={utcStamp(n.createdAtMs)}>
                    queued {utcClock(n.createdAtMs)} · {n.attempts.length} attempt{n.attempts.length === 1 ? "" : "s"}
                    {nextTry(n, now) ? ` · ${nextTry(n, now)}` : ""}
                  </span>
                  {admin && n.status === "failed" ? (
                    <span className="ml-auto">
                      <ResendButton notificationId={n.id} />
                    </span>
                  ) : null}
                </div>
                {n.attempts.length ? <Attempts attempts={n.attempts} /> : null}
                {n.status !== "sent" && n.lastError && !n.attempts.length ? <p className="text-xs text-rose-700 dark:text-rose-300">{n.lastError}</p> : null}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function Attempts({ attempts }: { attempts: Notification["attempts"] }) {
  return (
    <table className="w-full text-xs tabular-nums" aria-label="Delivery attempts">
      <TableHead columns={["Attempt", "HTTP", "Latency", "Error"]} />
      <tbody>
        {attempts.map((t) => (
          <tr key={t.atMs} data-testid="delivery-attempt" data-ok={t.ok}>
            <td className="whitespace-nowrap py-0.5 pr-3" title={utcStamp(t.atMs)}>
              <span className={`mr-1.5 inline-block h-1.5 w-1.5 rounded-full ${t.ok ? "bg-emerald-500" : "bg-rose-500"}`} aria-hidden />
              {utcClock(t.atMs)}
            </td>
            <td className="py-0.5 pr-3">{t.httpStatus ?? "—"}</td>
            <td className="py-0.5 pr-3">{formatDuration(t.latencyMs)}</td>
            <td className="py-0.5 text-rose-700 dark:text-rose-300">{t.error ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
