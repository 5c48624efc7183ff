import type { NotificationView } from "@/lib/api/alerts";
import { Tag, type TagTone } from "@/components/ui/tag";

const TONE: Record<NotificationView["status"], TagTone> = { sent: "green", pending: "amber", failed: "red" };
const HELP: Record<NotificationView["status"], string> = {
  sent: "The receiver accepted it",
  pending: "Queued, or waiting for its next attempt",
  failed: "Given up: refused for good, or out of attempts",
};

/** A delivery's status: sent, pending (retrying), failed. */
export function DeliveryStatus({ status }: { status: NotificationView["status"] }) {
  return (
    <Tag tone={TONE[status]} title={HELP[status]} testId="delivery-status">
      {status}
    </Tag>
  );
}
