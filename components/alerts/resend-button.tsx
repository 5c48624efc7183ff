"use client";

import { BUTTON } from "@/components/ui/controls";
import { useAlertWrite } from "./queries";

/** Puts a notification back in the queue (admins): a failed delivery, once the receiver is fixed. */
export function ResendButton({ notificationId }: { notificationId: string }) {
  const resend = useAlertWrite();
  if (resend.isSuccess) return <span className="text-xs text-emerald-700 dark:text-emerald-300">queued again</span>;
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className={BUTTON} disabled={resend.isPending} onClick={() => resend.mutate({ url: `/api/alerts/notifications/${encodeURIComponent(notificationId)}/resend` })}>
        Resend
      </button>
      {resend.error ? <span className="text-xs text-rose-700 dark:text-rose-300">{resend.error.message}</span> : null}
    </span>
  );
}
