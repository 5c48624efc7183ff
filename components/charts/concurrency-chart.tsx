"use client";

import { memo, useCallback, useMemo, useRef, useState } from "react";
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
import { markDetectors, type AlertMark } from "@/lib/view/alerts/chart-marks";
import type { ConcurrencyModel } from "@/lib/view/charts/concurrency-model";
import { formatTick, timeTicks } from "@/lib/view/charts/time-axis";
import { ChartTooltip } from "./chart-tooltip";
import { ALERT_COLORS, CHART_COLORS, CHART_HEIGHT, CHART_THEME } from "./chart-theme";

type Bucket = { fromMs: number; toMs: number };

interface Props {
  model: ConcurrencyModel;
  /** The bucket whose requests the evidence table shows, highlighted. */
  selected: Bucket | null;
  /** A click on a bucket: list the requests in flight at its peak. */
  onSelect: (bucket: Bucket) => void;
  /** A drag across buckets: zoom to them. */
  onZoom: (fromMs: number, toMs: number) => void;
  /** The key's alerts in the range (a stable array: a new one redraws the chart). */
  marks?: AlertMark[];
}

/** Where the plot sits in the SVG: the drag band covers the plot, not the axes. */
const MARGIN = { top: 20, right: 4, bottom: 4, left: 0 };
const X_AXIS_HEIGHT = 30;

/**
 * Truth as a stepped area, LiteLLM's belief dashed, live truth from the tracker dotted over the
 * provisional window (until spend logs settle it), the limit as a labelled stepped line, the excess
 * above it filled and its episodes banded, 429s as bars on the right axis stacked by limit (one
 * colour per kind the range holds), the provisional window hatched, the key's alerts shaded over
 * their span with a lane per detector along the top. Click a bucket for its evidence; drag across
 * buckets to zoom.
 */
export function ConcurrencyChart({ model, selected, onSelect, onZoom, marks = NO_MARKS }: Props) {
  // The drag lives in a ref and an HTML band over the chart, so dragging never re-renders the SVG.
  const drag = useRef<{ from: number; to: number; x0: number } | null>(null);
  const [band, setBand] = useState<{ left: number; width: number } | null>(null);
  const { rows, bucketMs } = model;

  const onDown = useCallback(
    (s: MouseHandlerDataParam) => {
      const i = indexIn(s, rows.length);
      if (i !== null) drag.current = { from: i, to: i, x0: s.activeCoordinate?.x ?? 0 };
    },
    [rows.length],
  );
  const onMove = useCallback(
    (s: MouseHandlerDataParam) => {
      const d = drag.current;
      const i = indexIn(s, rows.length);
      if (!d || i === null || i === d.to) return;
      d.to = i;
      const x = s.activeCoordinate?.x ?? d.x0;
      setBand(d.from === i ? null : { left: Math.min(d.x0, x), width: Math.abs(x - d.x0) });
    },
    [rows.length],
  );
  const onUp = useCallback(
    (s: MouseHandlerDataParam) => {
      const d = drag.current;
      drag.current = null;
      setBand(null);
      if (!d) return;
      const end = indexIn(s, rows.length) ?? d.to;
      const [a, b] = d.from <= end ? [d.from, end] : [end, d.from];
      if (a === b) onSelect({ fromMs: rows[a].t, toMs: rows[a].t + bucketMs });
      else onZoom(rows[a].t, rows[b].t + bucketMs);
    },
    [rows, bucketMs, onSelect, onZoom],
  );
  const onLeave = useCallback(() => {
    drag.current = null;
    setBand(null);
  }, []);

  return (
    <div className={`${CHART_THEME} relative cursor-crosshair select-none`} data-testid="concurrency-chart">
      <ChartSvg model={model} selected={selected} marks={marks} onDown={onDown} onMove={onMove} onUp={onUp} onLeave={onLeave} />
      {band ? (
        <div
          aria-hidden
          className="pointer-events-none absolute border-x border-sky-500 bg-sky-400/20 dark:border-sky-300 dark:bg-sky-300/15"
          style={{ left: band.left, width: band.width, top: MARGIN.top, bottom: MARGIN.bottom + X_AXIS_HEIGHT }}
        />
      ) : null}
    </div>
  );
}

/** The data index under the pointer, if any. */
function indexIn(s: MouseHandlerDataParam, length: number): number | null {
  const i = Number(s.activeTooltipIndex);
  return Number.isInteger(i) && i >= 0 && i < length ? i : null;
}

const NO_MARKS: AlertMark[] = [];
/** Each detector's lane at the top of the plot, as a share of the in-flight axis. */
const LANE = 0.035;

interface SvgProps {
  model: ConcurrencyModel;
  selected: Bucket | null;
  marks: AlertMark[];
  onDown: (s: MouseHandlerDataParam) => void;
  onMove: (s: MouseHandlerDataParam) => void;
  onUp: (s: MouseHandlerDataParam) => void;
  onLeave: () => void;
}

const AXIS_TICK = { fill: CHART_COLORS.axis, fontSize: 12 };
const REJECTED_TICK = { fill: CHART_COLORS.rejected, fontSize: 12 };
const Y_LABEL = { value: "in flight", angle: -90, position: "insideLeft", offset: 12, fill: CHART_COLORS.axis, fontSize: 12 } as const;
const REJECTED_LABEL = { value: "429s", angle: 90, position: "insideRight", offset: 12, fill: CHART_COLORS.rejected, fontSize: 12 } as const;
const HALO = { stroke: CHART_COLORS.background, strokeWidth: 3, paintOrder: "stroke" } as const;
const PROVISIONAL_LABEL = { value: "provisional", position: "insideTopRight", fill: CHART_COLORS.axis, fontSize: 11, ...HALO } as const;

/** The recharts SVG; memoised (with stable props) so only new data or a new selection redraws it. */
const ChartSvg = memo(function ChartSvg({ model, selected, marks, onDown, onMove, onUp, onLeave }: SvgProps) {
  const { rows, bucketMs } = model;
  // Buckets are epoch-aligned, so the first may start before the range: show it whole.
  const x0 = rows.length > 0 ? Math.min(model.fromMs, rows[0].t) : model.fromMs;
  const xDomain = useMemo(() => [x0, model.toMs], [x0, model.toMs]);
  const { ticks, stepMs } = useMemo(() => timeTicks(x0, model.toMs), [x0, model.toMs]);
  const tickFormatter = useCallback((t: number) => formatTick(t, stepMs), [stepMs]);
  const yDomain = useMemo(() => [0, model.yMax], [model.yMax]);
  // Twice the highest stack keeps the bars in the lower half, under the in-flight lines.
  const rejectedDomain = useMemo(() => [0, Math.max(4, 2 * model.max429)], [model.max429]);
  // One lane per detector shown, so alerts of two detectors over the same span stay apart.
  const lanes = useMemo(() => markDetectors(marks), [marks]);
  const labelAt = useMemo(() => new Set(model.limitChanges.filter((c) => c.limit !== null).map((c) => c.t)), [model.limitChanges]);

  const limitLabel = useCallback(
    (p: LabelProps) => {
      const row = p.index === undefined ? undefined : rows[p.index];
      if (!row || row.limit === null || !labelAt.has(row.t)) return null;
      return (
        <text x={Number(p.x) + 6} y={Number(p.y) - 6} fill={CHART_COLORS.limit} fontSize={12} fontWeight={600} {...HALO} data-testid="limit-label">
          limit {row.limit}
        </text>
      );
    },
    [rows, labelAt],
  );
  const tooltip = useCallback(
    (p: { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }> }) => (
      <ChartTooltip active={p.active} payload={p.payload} bucketMs={bucketMs} rejections={model.rejections} />
    ),
    [bucketMs, model.rejections],
  );

  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <ComposedChart data={rows} margin={MARGIN} onMouseDown={onDown} onMouseMove={onMove} onMouseUp={onUp} onMouseLeave={onLeave}>
        <defs>
          <pattern id="provisional-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <line x1="0" y1="0" x2="0" y2="8" stroke={CHART_COLORS.provisional} strokeWidth="1.5" />
          </pattern>
        </defs>
        <CartesianGrid vertical={false} stroke={CHART_COLORS.grid} />
        <XAxis
          dataKey="t"
          type="number"
          domain={xDomain}
          allowDataOverflow
          ticks={ticks}
          tickFormatter={tickFormatter}
          tick={AXIS_TICK}
          stroke={CHART_COLORS.grid}
          height={X_AXIS_HEIGHT}
        />
        <YAxis yAxisId="n" domain={yDomain} allowDecimals={false} width={44} tick={AXIS_TICK} stroke={CHART_COLORS.grid} label={Y_LABEL} />
        <YAxis
          yAxisId="r"
          orientation="right"
          domain={rejectedDomain}
          allowDecimals={false}
          width={44}
          tick={REJECTED_TICK}
          stroke={CHART_COLORS.grid}
          label={REJECTED_LABEL}
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
            label={PROVISIONAL_LABEL}
          />
        ) : null}
        {model.episodes.map((e) => (
          <ReferenceArea key={e.fromMs} yAxisId="n" x1={e.fromMs} x2={e.toMs} fill={CHART_COLORS.limit} fillOpacity={0.1} stroke="none" className="violation-band" />
        ))}
        {marks.map((m) => (
          <ReferenceArea
            key={`${m.id}-span`}
            yAxisId="n"
            x1={m.fromMs}
            x2={m.toMs}
            fill={ALERT_COLORS[m.detector]}
            fillOpacity={0.1}
            stroke="none"
            className={`alert-mark alert-mark-${m.detector}`}
          />
        ))}
        {marks.map((m) => {
          const lane = lanes.indexOf(m.detector);
          return (
            <ReferenceArea
              key={`${m.id}-lane`}
              yAxisId="n"
              x1={m.fromMs}
              x2={m.toMs}
              y1={model.yMax * (1 - LANE * (lane + 1))}
              y2={model.yMax * (1 - LANE * lane)}
              fill={ALERT_COLORS[m.detector]}
              fillOpacity={0.85}
              stroke="none"
              className="alert-lane"
            />
          );
        })}
        {selected ? (
          <ReferenceArea
            yAxisId="n"
            x1={selected.fromMs}
            x2={selected.toMs}
            fill={CHART_COLORS.selected}
            fillOpacity={0.12}
            stroke={CHART_COLORS.selected}
            strokeDasharray="3 3"
            className="selected-bucket"
          />
        ) : null}
        {model.rejections.map((k) => (
          <Bar
            key={k.field}
            yAxisId="r"
            stackId="429s"
            dataKey={k.field}
            name={k.label}
            fill={CHART_COLORS[k.field]}
            fillOpacity={0.55}
            className={`rejections-${k.kind}`}
            isAnimationActive={false}
          />
        ))}
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
        {model.hasLive ? (
          <Line
            yAxisId="n"
            dataKey="live"
            name="Live (tracker)"
            type="stepAfter"
            stroke={CHART_COLORS.live}
            strokeWidth={2.5}
            strokeDasharray="1 3"
            strokeLinecap="round"
            dot={false}
            connectNulls={false}
            className="live-line"
            isAnimationActive={false}
          />
        ) : null}
        <Line
          yAxisId="n"
          dataKey="limit"
          name="Limit"
          className="limit-line"
          type="stepAfter"
          stroke={CHART_COLORS.limit}
          strokeWidth={2}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        >
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
            label={{ value: `peak ${model.peak.inFlight}`, position: "top", fill: CHART_COLORS.truth, fontSize: 12, fontWeight: 600, ...HALO }}
          />
        ) : null}
        <Tooltip content={tooltip} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
});
