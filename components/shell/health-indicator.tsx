"use client";

import { ago, utcStamp } from "@/lib/format/time";
import { useHealth, type ServiceStateJson } from "./use-health";
import { useNow } from "./use-now";

const LABELS: Record<string, string> = { litellm: "LiteLLM", redis: "Redis" };

export function HealthIndicator() {
  const health = useHealth();
  const now = useNow();

  if (health.isPending) {
    return <div className="h-7 w-56 animate-pulse rounded-full bg-zinc-100 dark:bg-zinc-800" aria-label="Checking services" />;
  }
  if (health.isError) {
    return (
      <Pill ok={false} label="Inflight" detail="server not answering" title={health.error.message} />
    );
  }
  return (
    <ul className="flex items-center gap-2" aria-label="Service health">
      {health.data.services.map((s) => (
        <li key={s.service}>
          <ServicePill state={s} now={now} />
        </li>
      ))}
    </ul>
  );
}

function ServicePill({ state, now }: { state: ServiceStateJson; now: number }) {
  const label = LABELS[state.service] ?? state.service;
  const detail = state.ok
    ? `${state.latencyMs ?? "?"} ms · ${ago(state.checkedAt, now)}`
    : state.lastOkAt
      ? `down · last answered ${ago(state.lastOkAt, now)}`
      : "unreachable";
  const title = state.ok
    ? `${label} answered at ${utcStamp(state.checkedAt)} in ${state.latencyMs} ms`
    : `${label} unreachable since ${state.downSince ? utcStamp(state.downSince) : "?"}` +
      (state.lastOkAt ? `; last answered ${utcStamp(state.lastOkAt)}` : "; never answered") +
      (state.error ? `\n${state.error}` : "");
  return <Pill ok={state.ok} label={label} detail={detail} title={title} testId={`health-${state.service}`} />;
}

function Pill({ ok, label, detail, title, testId }: { ok: boolean; label: string; detail: string; title: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-ok={ok}
      title={title}
      className={`inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs ${
        ok
          ? "border-zinc-200 text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
          : "border-rose-300 bg-rose-50 text-rose-700 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-300"
      }`}
    >
      <span className={`h-2 w-2 rounded-full ${ok ? "bg-emerald-500" : "bg-rose-500"}`} aria-hidden />
      <span className="font-medium">{label}</span>
      <span className="text-zinc-400 dark:text-zinc-500">{detail}</span>
      <span className="sr-only">{ok ? "reachable" : "unreachable"}</span>
    </span>
  );
}
