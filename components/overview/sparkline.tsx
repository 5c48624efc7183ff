import { useId } from "react";

/**
 * Concurrency over the range as a tiny line, the limit as a dashed line, and the part above the
 * limit in red. Plain SVG: a hundred of these must render instantly.
 */
export function Sparkline({ values, limit, width = 132, height = 30 }: { values: number[]; limit: number | null; width?: number; height?: number }) {
  const id = useId();
  if (values.length === 0) return null;
  const top = Math.max(1, ...values, limit ?? 0);
  const x = (i: number) => (values.length === 1 ? width / 2 : (i / (values.length - 1)) * (width - 2) + 1);
  const y = (v: number) => height - 2 - (v / top) * (height - 4);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const limitY = limit === null ? null : y(limit);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`peak ${Math.max(...values)}${limit === null ? "" : ` of limit ${limit}`}`} className="overflow-visible">
      {limitY !== null ? (
        <>
          <clipPath id={id}>
            <rect x="0" y="0" width={width} height={Math.max(0, limitY)} />
          </clipPath>
          <line x1="0" x2={width} y1={limitY} y2={limitY} className="stroke-zinc-400 dark:stroke-zinc-500" strokeWidth="1" strokeDasharray="3 2" />
        </>
      ) : null}
      <polyline points={points} fill="none" className="stroke-sky-500" strokeWidth="1.5" strokeLinejoin="round" />
      {limitY !== null ? (
        <polyline points={points} fill="none" className="stroke-rose-500" strokeWidth="2" strokeLinejoin="round" clipPath={`url(#${id})`} />
      ) : null}
    </svg>
  );
}
