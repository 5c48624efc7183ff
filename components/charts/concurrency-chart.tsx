"use client";

import { useMemo, useState } from "react";
import {
  Area,
  Bar,
  CartesianGrid,
  ComposedChart,
  LabelList,
  Line,
  ReferenceArea,
  ReferenceDot,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type LabelProps,
  type MouseHandlerDataParam,
} from "recharts";
import type { ConcurrencyModel } from "@/lib/charts/concurrency-model";
import { formatTick, timeTicks } from "@/lib/charts/time-axis";
import { ChartTooltip } from "./chart-tooltip";
import { CHART_COLORS, CHART_HEIGHT, CHART_THEME } from "./chart-theme";

interface Props {
  model: ConcurrencyModel;
  /** The bucket whose requests the evidence table shows, highlighted. */
  selected: { fromMs: number; toMs: number } | null;
  /** A click on a bucket: list the requests in flight at its peak. */
  onSelect: (bucket: { fromMs: number; toMs: number }) => void;
  /** A drag across buckets: zoom to them. */
  onZoom: (fromMs: number, toMs: number) => void;
}

/**
 * Truth as a stepped area, LiteLLM's belief dashed, the limit as a labelled stepped line, the excess
 * above it filled and its episodes banded, 429s as bars on the right axis, the provisional window
 * hatched. Click a bucket for its evidence; drag across buckets to zoom.
 */
export function ConcurrencyChart({ model, selected, onSelect, onZoom }: Props) {
  const { rows, bucketMs } = model;
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const { ticks, stepMs } = useMemo(() => timeTicks(model.fromMs, model.toMs), [model.fromMs, model.toMs]);
  const labelAt = useMemo(() => new Set(model.limitChanges.filter((c) => c.limit !== null).map((c) => c.t)), [model.limitChanges]);
  const maxRejected = useMemo(() => rows.reduce((m, r) => Math.max(m, r.rejected), 0), [rows]);

  const indexOf = (s: MouseHandlerDataParam) => {
    const i = Number(s.activeTooltipIndex);
    return Number.isInteger(i) && i >= 0 && i < rows.length ? i : null;
  };
  const bucketAt = (i: number) => ({ fromMs: rows[i].t, toMs: rows[i].t + bucketMs });

  function finishDrag(s: MouseHandlerDataParam) {
    if (!drag) return;
    const end = indexOf(s) ?? drag.to;
    setDrag(null);
    const [a, b] = drag.from <= end ? [drag.from, end] : [end, drag.from];
    if (a === b) onSelect(bucketAt(a));
    else onZoom(rows[a].t, rows[b].t + bucketMs);
  }

  function limitLabel(p: LabelProps) {
    const row = p.index === undefined ? undefined : rows[p.index];
    if (!row || row.limit === null || !labelAt.has(row.t)) return null;
    return (
      <text x={Number(p.x) + 6} y={Number(p.y) - 6} fill={CHART_COLORS.limit} fontSize={12} fontWeight={600} data-testid="limit-label">
        limit {row.limit}
      </text>
    );
  }

  return (
    <div className={`${CHART_THEME} cursor-crosshair select-none`} data-testid="concurrency-chart">
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <ComposedChart
          data={rows}
          margin={{ top: 20, right: 4, bottom: 4, left: 0 }}
          onMouseDown={(s) => {
            const i = indexOf(s);
            if (i !== null) setDrag({ from: i, to: i });
          }}
          onMouseMove={(s) => {
            const i = indexOf(s);
            if (drag && i !== null && i !== drag.to) setDrag({ ...drag, to: i });
          }}
          onMouseUp={finishDrag}
          onMouseLeave={() => setDrag(null)}
        >
          <defs>
            <pattern id="provisional-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <line x1="0" y1="0" x2="0" y2="8" stroke={CHART_COLORS.provisional} strokeWidth="1.5" />
            </pattern>
          </defs>
          <CartesianGrid vertical={false} stroke={CHART_COLORS.grid} />
          <XAxis
            dataKey="t"
            type="number"
            domain={[model.fromMs, model.toMs]}
            allowDataOverflow
            ticks={ticks}
            tickFormatter={(t: number) => formatTick(t, stepMs)}
            tick={{ fill: CHART_COLORS.axis, fontSize: 12 }}
            stroke={CHART_COLORS.grid}
          />
          <YAxis
            yAxisId="n"
            domain={[0, model.yMax]}
            allowDecimals={false}
            width={44}
            tick={{ fill: CHART_COLORS.axis, fontSize: 12 }}
            stroke={CHART_COLORS.grid}
            label={{ value: "in flight", angle: -90, position: "insideLeft", offset: 12, fill: CHART_COLORS.axis, fontSize: 12 }}
          />
          <YAxis
            yAxisId="r"
            orientation="right"
            // Twice the highest count keeps the bars in the lower half, under the in-flight lines.
            domain={[0, Math.max(4, Math.ceil(maxRejected * 2))]}
            allowDecimals={false}
            width={44}
            tick={{ fill: CHART_COLORS.rejected, fontSize: 12 }}
            stroke={CHART_COLORS.grid}
            label={{ value: "429s", angle: 90, position: "insideRight", offset: 12, fill: CHART_COLORS.rejected, fontSize: 12 }}
          />
          {model.provisionalFromMs !== null ? (
            <ReferenceArea
              yAxisId="n"
              x1={model.provisionalFromMs}
              x2={model.toMs}
              fill="url(#provisional-hatch)"
              fillOpacity={1}
              stroke="none"
              className="provisional-area"
              label={{ value: "provisional", position: "insideTopRight", fill: CHART_COLORS.axis, fontSize: 11 }}
            />
          ) : null}
          {model.episodes.map((e) => (
            <ReferenceArea key={e.fromMs} yAxisId="n" x1={e.fromMs} x2={e.toMs} fill={CHART_COLORS.limit} fillOpacity={0.1} stroke="none" className="violation-band" />
          ))}
          {selected ? (
            <ReferenceArea yAxisId="n" x1={selected.fromMs} x2={selected.toMs} fill={CHART_COLORS.selected} fillOpacity={0.25} stroke={CHART_COLORS.selected} className="selected-bucket" />
          ) : null}
          {drag && drag.from !== drag.to ? (
            <ReferenceArea yAxisId="n" x1={rows[Math.min(drag.from, drag.to)].t} x2={rows[Math.max(drag.from, drag.to)].t + bucketMs} fill={CHART_COLORS.selected} fillOpacity={0.15} />
          ) : null}
          <Bar yAxisId="r" dataKey="rejected" name="429s" fill={CHART_COLORS.rejected} fillOpacity={0.45} isAnimationActive={false} />
          <Area
            yAxisId="n"
            dataKey="inFlight"
            name="In flight (truth)"
            type="stepAfter"
            stroke={CHART_COLORS.truth}
            strokeWidth={1.5}
            fill={CHART_COLORS.truth}
            fillOpacity={0.15}
            isAnimationActive={false}
          />
          <Area
            yAxisId="n"
            dataKey="excess"
            name="Above the limit"
            type="stepAfter"
            stroke="none"
            fill={CHART_COLORS.limit}
            fillOpacity={0.5}
            className="violation-area"
            isAnimationActive={false}
            activeDot={false}
          />
          <Line
            yAxisId="n"
            dataKey="believed"
            name="LiteLLM's belief"
            type="stepAfter"
            stroke={CHART_COLORS.belief}
            strokeWidth={1.5}
            strokeDasharray="5 4"
            dot={false}
            isAnimationActive={false}
          />
          <Line yAxisId="n" dataKey="limit" name="Limit" type="stepAfter" stroke={CHART_COLORS.limit} strokeWidth={2} dot={false} activeDot={false} isAnimationActive={false}>
            <LabelList dataKey="limit" content={limitLabel} />
          </Line>
          {model.peak ? (
            <ReferenceDot
              yAxisId="n"
              x={model.peak.t}
              y={model.peak.inFlight}
              r={4}
              fill={CHART_COLORS.truth}
              stroke="white"
              className="peak-marker"
              label={{ value: `peak ${model.peak.inFlight}`, position: "top", fill: CHART_COLORS.truth, fontSize: 12, fontWeight: 600 }}
            />
          ) : null}
          <Tooltip content={(p) => <ChartTooltip active={p.active} payload={p.payload} bucketMs={bucketMs} />} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
