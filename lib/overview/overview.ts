import { trackerSeen, type LiveSnapshot } from "../tracker/live";
import { canSeeTeam } from "../accounts/roles";
import type { Overview, OverviewRow } from "../api/keys";
import { readKeyStates } from "../key-state/read";
import { readSeriesWindows } from "../series/read";
import type { Store } from "../store/store";

/**
 * Points of each key's sparkline: 60 (minute buckets or finer) up to several hours; for a day or
 * more, at most 24, so its buckets are whole hours and come from the hourly roll-up (a day of 500
 * keys is then ~12,000 rows to read, not ~720,000).
 */
const sparkPoints = (rangeMs: number) => (rangeMs >= 86_400_000 ? 24 : 60);

/**
 * Every listed key with its state over [fromMs, toMs) and a sparkline, worst first; only keys of
 * `teams` when given (a team-limited viewer).
 */
export async function overview(
  store: Pick<Store, "catalog" | "series" | "samples" | "ingest">,
  fromMs: number,
  toMs: number,
  teams: string[] | null = null,
  /** The live tracker's read (lib/tracker/live.ts), when one is configured. */
  live?: (hashes: string[]) => Promise<LiveSnapshot | null>,
): Promise<Overview> {
  const keys = (await store.catalog.listedKeys()).filter((k) => canSeeTeam({ teams }, k.teamId));
  const ids = keys.map((k) => k.id);
  const [{ watermarkMs, states }, sparks, tracked] = await Promise.all([
    readKeyStates(store, keys, fromMs, toMs),
    readSeriesWindows(store.series, ids, Math.floor(fromMs / 1000), Math.ceil(toMs / 1000), sparkPoints(toMs - fromMs)),
    live ? live(keys.map((k) => k.hash)) : null,
  ]);
  const tracker = live ? trackerSeen(tracked) : null;
  const rows: OverviewRow[] = keys.map(({ id, ...key }) => ({
    ...key,
    state: states.get(id)!,
    sparkline: sparks.get(id)!.buckets.map((b) => b.maxInFlight),
    live: tracker?.live && tracked ? (tracked.inFlight.get(key.hash) ?? 0) : null,
  }));
  rows.sort((x, y) => y.state.severity - x.state.severity || (x.alias ?? x.hash).localeCompare(y.alias ?? y.hash));
  const teamIds = [...new Set(rows.map((r) => r.teamId).filter((t): t is string => t !== null))].sort();
  return { fromMs, toMs, watermarkMs, rows, teams: teamIds, tracker };
}
