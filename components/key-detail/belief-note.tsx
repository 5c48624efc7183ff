/**
 * Why the chart has no belief series: LiteLLM's limiter runs in process memory (nothing to read
 * from outside), or no limiter sample of this key falls in the range.
 */
export function BeliefNote({ unavailable, hasBelief }: { unavailable: string | null; hasBelief: boolean }) {
  if (hasBelief) return null;
  return (
    <p className="rounded-md bg-zinc-50 px-3 py-2 text-xs text-zinc-600 dark:bg-zinc-800/50 dark:text-zinc-300" data-testid="belief-note">
      {unavailable ? (
        <>
          <strong className="font-medium">LiteLLM&apos;s view is unavailable:</strong> {unavailable}. Only Inflight&apos;s truth is shown; set{" "}
          <code className="font-mono">REDIS_URL</code> to the Redis the proxy uses for its limiter to compare the two.
        </>
      ) : (
        <>
          <strong className="font-medium">No sample of LiteLLM&apos;s limiter for this key in this range.</strong> Its belief is sampled from Redis every
          second while the key&apos;s limiter keys exist, and kept for a few hours.
        </>
      )}
    </p>
  );
}
