import { randomUUID } from "node:crypto";
import { type AlertNotification, eventName, type Phase } from "../types";

/**
 * What a channel's Test button sends: marked `test: true`, about a key that does not exist
 * (`test-key`), with no chart (there is no episode to show). Fresh ids each time, so a receiver
 * never takes a test for a retry of an earlier one; `alertId` is shared by the phases of one test.
 */
export function testNotification(
  { phase = "firing", alertId = `test-${randomUUID()}`, environment = null, nowMs = Date.now() }: { phase?: Phase; alertId?: string; environment?: string | null; nowMs?: number } = {},
): AlertNotification {
  return {
    id: `test-${randomUUID()}`,
    alertId,
    detector: "exceeded",
    phase,
    event: eventName("exceeded", phase),
    ruleName: "Test",
    keyHash: "test-key",
    keyAlias: "test-key",
    teamId: null,
    limit: 4,
    peak: 6,
    startedAt: new Date(nowMs - 5 * 60_000).toISOString(),
    endedAt: phase === "resolved" || phase === "past" ? new Date(nowMs).toISOString() : null,
    summary: "This is a test from Inflight: no real key is involved. If you can read this, the channel works.",
    url: "",
    environment,
    test: true,
  };
}
