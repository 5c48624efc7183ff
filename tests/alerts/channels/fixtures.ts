// What the channel tests share: a notification as the alerts job makes one, a send context, and a
// local receiver started for the file and cleared before each test.
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { InAppFeed, SendContext } from "../../../lib/alerts/channels/channel";
import { type AlertNotification, eventName } from "../../../lib/alerts/types";
import { type Receiver, startReceiver } from "../../support/receiver";

export const KEY_HASH = `ab12cd34${"e".repeat(56)}`;
export const CHART_URL = `https://inflight.example.com/keys/${KEY_HASH}?from=1764035527000&to=1764039127000`;

/** A firing "exceeded" notification of key prod-app in production; `over` changes any field (event follows detector and phase). */
export function notification(over: Partial<AlertNotification> = {}): AlertNotification {
  const n: AlertNotification = {
    id: "ntf_01JD8Z3",
    alertId: "alr_01JD8Z0",
    detector: "exceeded",
    phase: "firing",
    event: "",
    ruleName: "Over the limit",
    keyHash: KEY_HASH,
    keyAlias: "prod-app",
    teamId: "team-search",
    limit: 4,
    peak: 6,
    startedAt: "2026-11-25T01:52:07.000Z",
    endedAt: null,
    summary: "Key prod-app had 6 requests in flight against its limit of 4.",
    url: CHART_URL,
    environment: "production",
    ...over,
  };
  return { ...n, event: eventName(n.detector, n.phase) };
}

/** A feed that keeps what it is given, for the in-app channel. */
export function memoryFeed(): InAppFeed & { added: AlertNotification[] } {
  const added: AlertNotification[] = [];
  return { added, add: async (n) => void added.push(n) };
}

/** A send context that lets requests reach the local receiver (127.0.0.1 listed) unless told otherwise. */
export function context(over: Partial<SendContext> = {}): SendContext {
  return { allowedHosts: ["127.0.0.1"], timeoutMs: 2_000, feed: memoryFeed(), ...over };
}

/** One receiver for the test file, emptied and answering 200 again before each test. */
export function useReceiver(): { readonly rx: Receiver } {
  const holder = {} as { rx: Receiver };
  beforeAll(async () => {
    holder.rx = await startReceiver();
  });
  beforeEach(() => {
    holder.rx.reset();
    holder.rx.answer({ status: 200, body: "ok" });
  });
  afterAll(async () => {
    await holder.rx.stop();
  });
  return holder;
}

/** Node's header values as the string record a verifier takes. */
export function headerRecord(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
}
