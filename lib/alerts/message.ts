import type { KeyRef } from "../catalog/repository";
import type { AlertRecord } from "./repository";
import { eventName, type AlertNotification, type Detector, type Phase } from "./types";

/** Where a notification links to and what it names its environment. */
export interface MessageContext {
  /** Inflight's public URL (INFLIGHT_PUBLIC_URL, or where it listens). */
  baseUrl: string;
  environment: string | null;
}

/** Context shown on a chart around an alert. */
const MARGIN_MS = 5 * 60_000;

/** The key's chart over an alert's span (with some minutes around it). */
export function chartUrl(baseUrl: string, keyHash: string, fromSec: number, toSec: number | null, nowMs: number): string {
  const from = fromSec * 1000 - MARGIN_MS;
  const to = toSec === null ? nowMs : Math.min(nowMs, toSec * 1000 + MARGIN_MS);
  return `${baseUrl.replace(/\/$/, "")}/keys/${keyHash}?range=custom&from=${from}&to=${Math.max(to, from + 60_000)}`;
}

const keyName = (k: Pick<KeyRef, "alias" | "hash">) => (k.alias ? `${k.alias} (${k.hash.slice(0, 8)}…)` : `${k.hash.slice(0, 12)}…`);

const requests = (n: number) => (n === 1 ? "1 request was" : `${n} requests were`);

/** What happened, in plain words: one or two sentences a person on call understands without the UI. */
export function summarize(detector: Detector, phase: Phase, key: Pick<KeyRef, "alias" | "hash">, a: Pick<AlertRecord, "peak" | "limit" | "evidence" | "episodes">): string {
  const name = keyName(key);
  const limit = a.limit ?? "?";
  const ev = a.evidence;
  const what = (() => {
    switch (detector) {
      case "exceeded":
        return `Key ${name} ran ${a.peak} requests at once against a max_parallel_requests of ${limit}.`;
      case "multiplied":
        return `Key ${name} ran ${a.peak} requests at once, about ${ev.multiple}× its max_parallel_requests of ${limit}, while LiteLLM keeps no shared limiter state: each worker or replica counts the limit on its own.`;
      case "stuck":
        return `LiteLLM rejects key ${name} for max_parallel_requests (${ev.rejected ?? "some"} 429s) while at most ${requests(Number(ev.maxTrueInFlight ?? 0))} really in flight (limit ${limit})${a.peak !== null ? `; LiteLLM counts ${a.peak}` : ""}: its limiter holds slots no request is using.`;
      case "drift":
        return `LiteLLM's count for key ${name} disagrees with the truth: it counted up to ${ev.believedMax ?? "?"} in flight while at most ${requests(Number(ev.trueInFlightMax ?? 0))}${typeof ev.rawMin === "number" && ev.rawMin < 0 ? `, and its counter went to ${ev.rawMin}` : ""}.`;
    }
  })();
  const repeats = a.episodes > 1 ? ` (${a.episodes} stretches)` : "";
  if (phase === "resolved") return `Resolved: ${what}${repeats} It has not happened again for the hold time.`;
  if (phase === "past") return `Found after it ended: ${what}${repeats}`;
  if (phase === "repeat") return `Still firing: ${what}${repeats}`;
  return what + repeats;
}

/** The notification of an alert at a phase, as every channel renders it (its id is the outbox row's). */
export function notificationOf(
  id: string,
  a: AlertRecord,
  detector: Detector,
  phase: Phase,
  ruleName: string,
  key: Pick<KeyRef, "alias" | "hash" | "teamId">,
  ctx: MessageContext,
  nowMs: number,
): AlertNotification {
  const ended = phase === "resolved" || phase === "past" ? a.lastActiveSec : null;
  return {
    id,
    alertId: a.id,
    detector,
    phase,
    event: eventName(detector, phase),
    ruleName,
    keyHash: key.hash,
    keyAlias: key.alias,
    teamId: key.teamId,
    limit: a.limit,
    peak: a.peak,
    startedAt: new Date(a.startedSec * 1000).toISOString(),
    endedAt: ended === null ? null : new Date(ended * 1000).toISOString(),
    summary: summarize(detector, phase, key, a),
    url: chartUrl(ctx.baseUrl, key.hash, a.startedSec, ended, nowMs),
    environment: ctx.environment,
  };
}
