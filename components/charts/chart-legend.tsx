import type { ReactNode } from "react";
import { DETECTOR_LABELS, type Detector } from "@/lib/alerts/types";
import type { RejectionKind } from "@/lib/view/charts/rejection-kinds";
import { ALERT_COLORS, CHART_COLORS, CHART_THEME } from "./chart-theme";

interface Props {
  hasLimit: boolean;
  hasBelief: boolean;
  /** Live truth from the tracker is drawn at the newest edge. */
  hasLive: boolean;
  hasProvisional: boolean;
  /** The kinds of 429 the range holds, as the chart stacks them. */
  rejections: RejectionKind[];
  /** The detectors of the alerts marked on the chart. */
  alerts?: Detector[];
  /** The tracker sees limiter 429s the spend logs lack (the proxy runs with disable_error_logs). */
  unlogged429s?: boolean;
}

/** What each mark on the concurrency chart means; a swatch per series drawn, in the chart's own colours. */
export function ChartLegend({ hasLimit, hasBelief, hasLive, hasProvisional, rejections, alerts = [], unlogged429s = false }: Props) {
  return (
    <ul className={`${CHART_THEME} flex flex-wrap gap-x-5 gap-y-1.5 text-xs text-zinc-600 dark:text-zinc-300`} aria-label="Chart legend">
      <Item swatch={<span className="block h-3 w-5 border-t-2" style={{ borderColor: CHART_COLORS.truth, background: `color-mix(in srgb, ${CHART_COLORS.truth} 15%, transparent)` }} />}>
        In flight — Inflight&apos;s truth (from spend logs)
      </Item>
      {hasLive ? (
        <Item swatch={<span className="block w-5 border-t-[3px] border-dotted" style={{ borderColor: CHART_COLORS.live }} />}>
          Live — the tracker callback, until spend logs settle it
        </Item>
      ) : null}
      {hasBelief ? (
        <Item swatch={<span className="block w-5 border-t-2 border-dashed" style={{ borderColor: CHART_COLORS.belief }} />}>
          LiteLLM&apos;s belief (its limiter in Redis)
        </Item>
      ) : null}
      {hasLimit ? (
        <>
          <Item swatch={<span className="block w-5 border-t-2" style={{ borderColor: CHART_COLORS.limit }} />}>Limit (max_parallel_requests)</Item>
          <Item swatch={<span className="block h-3 w-5 rounded-sm" style={{ background: `color-mix(in srgb, ${CHART_COLORS.limit} 50%, transparent)` }} />}>
            Above the limit (shaded)
          </Item>
        </>
      ) : (
        <Item swatch={<span className="block w-5 border-t-2 border-dotted border-zinc-400" />}>No limit set on this key</Item>
      )}
      {rejections.length === 0 ? (
        <Item swatch={<span className="block h-3 w-2 rounded-sm border border-zinc-300 dark:border-zinc-600" />}>No 429s in this range</Item>
      ) : (
        rejections.map((k) => (
          <Item key={k.field} swatch={<span className="block h-3 w-2 rounded-sm" style={{ background: CHART_COLORS[k.field] }} />}>
            {k.label} per bucket (right axis)
          </Item>
        ))
      )}
      {unlogged429s ? (
        <Item swatch={<span aria-hidden className="block w-5 text-center font-semibold text-amber-600 dark:text-amber-400">!</span>}>
          <span className="text-amber-700 dark:text-amber-300" data-testid="unlogged-429s">
            429s are missing from spend logs (the proxy runs with disable_error_logs?): the 429 bars undercount; the tracker callback counts them
          </span>
        </Item>
      ) : null}
      {alerts.map((d) => (
        <Item
          key={d}
          swatch={
            <span
              className="block h-3 w-5 rounded-sm border-t-4"
              style={{ borderColor: ALERT_COLORS[d], background: `color-mix(in srgb, ${ALERT_COLORS[d]} 12%, transparent)` }}
            />
          }
        >
          Alert: {DETECTOR_LABELS[d]}
        </Item>
      ))}
      {hasProvisional ? (
        <Item
          swatch={
            <span
              className="block h-3 w-5 rounded-sm border border-zinc-300 dark:border-zinc-600"
              style={{ background: `repeating-linear-gradient(45deg, ${CHART_COLORS.provisional} 0 3px, transparent 3px 6px)` }}
            />
          }
        >
          Provisional — late spend-log rows may still change it
        </Item>
      ) : null}
    </ul>
  );
}

function Item({ swatch, children }: { swatch: ReactNode; children: ReactNode }) {
  return (
    <li className="flex items-center gap-1.5">
      <span aria-hidden>{swatch}</span>
      {children}
    </li>
  );
}
