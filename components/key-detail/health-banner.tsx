import type { HealthView } from "@/lib/api/health";
import { Banner } from "@/components/ui/banner";
import { utcStamp } from "@/lib/view/format/time";

const NAMES: Record<string, string> = { litellm: "LiteLLM", redis: "Redis" };

/**
 * LiteLLM or Redis unreachable: what stops updating on this page, and the time of the last good
 * data (the last spend-log poll for truth, the newest limiter sample for belief).
 */
export function HealthBanner({ health, lastBeliefAt }: { health: HealthView | undefined; lastBeliefAt: number | null }) {
  const down = health?.services.filter((s) => !s.ok) ?? [];
  if (!health || down.length === 0) return null;
  const lastPoll = health.pipeline.lastPollAt;
  return (
    <Banner title={`${down.map((s) => NAMES[s.service] ?? s.service).join(" and ")} unreachable`}>
      <ul className="space-y-0.5" data-testid="health-banner">
        {down.map((s) => (
          <li key={s.service}>
            {NAMES[s.service] ?? s.service} has not answered since {s.downSince ? utcStamp(s.downSince) : "Inflight started"}
            {s.lastOkAt ? ` (last answer ${utcStamp(s.lastOkAt)})` : ""}
            {s.service === "litellm"
              ? `. Truth stops at the last spend-log read${lastPoll ? `, ${utcStamp(lastPoll)}` : ""}; newer traffic appears once LiteLLM answers again.`
              : `. LiteLLM's belief stops at its last sample${lastBeliefAt !== null ? `, ${utcStamp(lastBeliefAt)}` : ""}.`}
            {s.error ? <span className="block text-xs opacity-80">{s.error}</span> : null}
          </li>
        ))}
      </ul>
    </Banner>
  );
}
