import type { Principal } from "../accounts/roles";
import type { KeyLimitsView } from "../api/limits";
import type { KeyRef } from "../catalog/repository";
import type { LiteLLMClient } from "../litellm/client";
import { readSeriesWindow } from "../series/read";
import type { Store } from "../store/store";
import { PROPAGATION_NOTE } from "./update-key-limits";

const DAY_S = 86_400;

/** What the edit form starts from: the proxy's values now (not the last sync's) and the last 24 h. */
export async function keyLimitsView(
  deps: { store: Store; litellm: LiteLLMClient | null; writesDisabled: string | null },
  who: Principal,
  key: KeyRef,
  nowMs = Date.now(),
): Promise<KeyLimitsView> {
  const toSec = Math.ceil(nowMs / 60_000) * 60; // the minute under way counts too
  const [live, window] = await Promise.all([
    deps.litellm
      ? deps.litellm.keyInfo(key.hash).then(
          (i) => ({ live: { max_parallel_requests: i.max_parallel_requests, rpm_limit: i.rpm_limit, tpm_limit: i.tpm_limit }, liveError: null }),
          (e: Error) => ({ live: null, liveError: e.message }),
        )
      : { live: null, liveError: "No LiteLLM proxy is configured (LITELLM_URL)" },
    readSeriesWindow(deps.store.series, key.id, toSec - DAY_S, toSec, DAY_S / 60),
  ]);
  const editBlockedBy = who.role !== "admin" ? "Only admins edit limits." : deps.writesDisabled;
  return {
    ...live,
    minuteMaxima: window.buckets.map((b) => b.maxInFlight),
    canEdit: editBlockedBy === null && live.live !== null,
    editBlockedBy: editBlockedBy ?? (live.live === null ? "LiteLLM cannot be read now, so the key's current limits are unknown." : null),
    propagationNote: PROPAGATION_NOTE,
  };
}
