// Bulk fills of the truth series for the read figures (range query, overview): millions of rows
// per store, written as the series maintainer would leave them (seconds and their roll-ups).
// SQLite goes through the repository itself (`series.replace`: prepared statements, a transaction
// per key). On Postgres the repository writes each key's minutes (and whatever roll-ups it derives
// from them), and the seconds, the bulk, go in by COPY (pg-copy-streams): about 3x the repository's
// unnest insert for a bulk load (measured here: ~150 ms against ~400 ms for a key's 86,400
// seconds). Neither is a figure: only the reads are timed.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { rollupMinutes, sparseRows, type SeriesRow } from "@/lib/concurrency/downsample";
import type { SecondSeries } from "@/lib/concurrency/sweep";
import { PARTITIONED } from "@/lib/store/postgres/partitions";
import type { Store } from "@/lib/store/store";
import { ensurePartitions } from "./stores";

const DAY_SEC = 86_400;

export interface SeriesFill {
  /** A key's dense series over whole minutes: its non-empty seconds, its minute roll-up and what the repository derives from that are written. */
  key(keyId: number, series: SecondSeries): Promise<{ seconds: number; minutes: number }>;
  done(): Promise<void>;
}

/** A filler for series covering [fromSec, toSec) on this store. */
export async function seriesFill(url: string, store: Store, fromSec: number, toSec: number): Promise<SeriesFill> {
  if (store.dialect === "sqlite") {
    return {
      async key(keyId, series) {
        const seconds = sparseRows(series);
        const minutes = rollupMinutes(series);
        // A fresh store holds nothing to clear: a key without traffic writes nothing.
        if (seconds.length) await store.series.replace(keyId, series.fromSec, series.fromSec + series.maxInFlight.length, seconds, minutes);
        return { seconds: seconds.length, minutes: minutes.length };
      },
      async done() {},
    };
  }
  const days: number[] = [];
  for (let d = Math.floor(fromSec / DAY_SEC) * DAY_SEC; d < toSec; d += DAY_SEC) days.push(d);
  await ensurePartitions(url, [[PARTITIONED.series1s, days]]);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // One key's COPY runs on the server while the next key is generated here.
  let copying: Promise<void> = Promise.resolve();
  return {
    async key(keyId, series) {
      const seconds = sparseRows(series);
      const minutes = rollupMinutes(series);
      if (seconds.length === 0) return { seconds: 0, minutes: 0 };
      // The repository first (it clears the key's range, seconds included), then the seconds.
      await store.series.replace(keyId, series.fromSec, series.fromSec + series.maxInFlight.length, [], minutes);
      await copying;
      copying = copySeconds(client, keyId, seconds);
      copying.catch(() => undefined); // awaited by the next key or done()
      return { seconds: seconds.length, minutes: minutes.length };
    },
    async done() {
      try {
        await copying;
      } finally {
        await client.end();
      }
    },
  };
}

async function copySeconds(client: pg.Client, keyId: number, rows: SeriesRow[]): Promise<void> {
  if (rows.length === 0) return;
  function* text() {
    let buf = "";
    for (const r of rows) {
      buf += `${keyId}\t${r.sec}\t${r.maxInFlight}\t${r.admitted}\t${r.rejected}\n`;
      if (buf.length >= 1 << 16) {
        yield buf;
        buf = "";
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(text()), client.query(copyFrom("COPY series_1s (key_id, sec, max_in_flight, admitted, rejected) FROM STDIN")));
}

/** An empty dense series over [fromSec, toSec) (whole minutes). */
export function emptySeries(fromSec: number, toSec: number): SecondSeries {
  const n = toSec - fromSec;
  if (fromSec % 60 !== 0 || n % 60 !== 0) throw new RangeError(`[${fromSec}, ${toSec}) is not whole minutes`);
  return { fromSec, maxInFlight: new Int32Array(n), admitted: new Int32Array(n), rejected: new Int32Array(n) };
}
