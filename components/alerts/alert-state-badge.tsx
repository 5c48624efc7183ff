import type { AlertView } from "@/lib/api/alerts";
import { Tag, type TagTone } from "@/components/ui/tag";

const TONE: Record<AlertView["state"], TagTone> = { firing: "red", pending: "amber", resolved: "grey" };
const HELP: Record<AlertView["state"], string> = {
  firing: "The condition holds (or held within the hold time): notifications went out",
  pending: "The condition holds, but not yet for the rule's min duration",
  resolved: "The key stayed healthy for the hold time after the last stretch",
};

/** An alert's state (firing red, pending amber, resolved grey), and when it was found only after it ended, a note saying so. */
export function AlertStateBadge({ alert }: { alert: Pick<AlertView, "state" | "announced"> }) {
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <Tag tone={TONE[alert.state]} title={HELP[alert.state]} testId="alert-state">
        {alert.state}
      </Tag>
      {alert.announced === "past" ? (
        <span className="whitespace-nowrap text-[11px] text-zinc-500 dark:text-zinc-400" title="Spend-log rows arrived late: the episode was over when Inflight saw it">
          found after it ended
        </span>
      ) : null}
    </span>
  );
}
