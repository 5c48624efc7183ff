"use client";

import { useMemo } from "react";
import { Area, CartesianGrid, ComposedChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_COLORS, CHART_THEME } from "@/components/charts/chart-theme";
import type { BurstReport } from "@/lib/burst/report";
import { inFlightSteps } from "@/lib/view/bursts/burst-view";

const AXIS_TICK = { fill: "var(--chart-axis)", fontSize: 12 };

/**
 * The admitted requests in flight over the test, by the client's timings, against the limit; the
 * peak marked. Steps, as the count only changes when a request starts or ends.
 */
export function BurstTimeline({ report }: { report: BurstReport }) {
  const steps = useMemo(() => inFlightSteps(report.requests), [report.requests]);
  const t0 = report.requests.length ? Math.min(...report.requests.map((r) => r.sentMs)) : report.startedMs;
  const peakT = report.peakAtMs === null ? null : (report.peakAtMs - t0) / 1000;
  const top = Math.max(report.peak, report.limit ?? 0) + 1;
  return (
    <figure className={CHART_THEME} aria-label={`Admitted requests in flight over the test: at most ${report.peak}, against a limit of ${report.limit ?? "none"}`}>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={steps} margin={{ top: 16, right: 24, bottom: 8, left: 0 }}>
          <CartesianGrid vertical={false} stroke={CHART_COLORS.grid} />
          <XAxis
            dataKey="t"
            type="number"
            domain={[0, "dataMax"]}
            tick={AXIS_TICK}
            stroke={CHART_COLORS.grid}
            tickFormatter={(t: number) => `${t.toFixed(t < 10 ? 1 : 0)} s`}
          />
          <YAxis domain={[0, top]} allowDecimals={false} width={40} tick={AXIS_TICK} stroke={CHART_COLORS.grid} />
          <Area dataKey="admitted" name="Admitted in flight" type="stepAfter" stroke={CHART_COLORS.truth} fill={CHART_COLORS.truth} fillOpacity={0.18} strokeWidth={2} isAnimationActive={false} />
          {report.limit !== null ? (
            <ReferenceLine
              y={report.limit}
              stroke={CHART_COLORS.limit}
              strokeDasharray="6 4"
              strokeWidth={2}
              label={{ value: `limit ${report.limit}`, position: "insideTopRight", fill: "var(--chart-limit)", fontSize: 12 }}
            />
          ) : null}
          {peakT !== null ? <ReferenceDot x={peakT} y={report.peak} r={5} fill={report.limit !== null && report.peak > report.limit ? CHART_COLORS.limit : CHART_COLORS.truth} stroke="var(--chart-bg)" /> : null}
          <Tooltip
            isAnimationActive={false}
            formatter={(v) => [String(v), "admitted in flight"]}
            labelFormatter={(t) => `${Number(t).toFixed(3)} s after the first send`}
            contentStyle={{ background: "var(--chart-bg)", borderColor: "var(--chart-grid)", fontSize: 12 }}
          />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="mt-1 flex flex-wrap gap-4 text-xs text-zinc-500 dark:text-zinc-400">
        <span className="inline-flex items-center gap-1.5">
          <span className="inline-block h-2.5 w-4 rounded-sm" style={{ background: CHART_COLORS.truth, opacity: 0.6 }} /> admitted in flight (client timings)
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span className="inline-block h-0 w-4 border-t-2 border-dashed" style={{ borderColor: CHART_COLORS.limit }} /> max_parallel_requests
        </span>
        <span>seconds since the first request was sent</span>
      </figcaption>
    </figure>
  );
}
