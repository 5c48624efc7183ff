import { BenchStores, ensurePartitions } from "../stores";
import { PARTITIONED } from "@/lib/store/postgres/partitions";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
async function main() {
  const stores = new BenchStores();
  try {
    const url = await stores.fresh("postgres");
    const from = Math.floor(Date.now() / 86400000) * 86400 - 86400;
    await ensurePartitions(url, [[PARTITIONED.series1s, [from]], [PARTITIONED.series1m, [from]]]);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (let k = 1; k <= 6; k++) {
      const t0 = performance.now();
      function* gen() {
        let buf = "";
        for (let i = 0; i < 86400; i++) {
          buf += `${k}\t${from + i}\t${1 + (i % 7)}\t${i % 3}\t0\n`;
          if (buf.length > 65536) { yield buf; buf = ""; }
        }
        yield buf;
      }
      await pipeline(Readable.from(gen()), c.query(copyFrom("COPY series_1s (key_id, sec, max_in_flight, admitted, rejected) FROM STDIN")));
      console.log("copy key", k, performance.now() - t0);
    }
    // batch of 3 keys in one COPY
    const t0 = performance.now();
    function* gen2() {
      let buf = "";
      for (let k = 7; k <= 16; k++) for (let i = 0; i < 86400; i++) {
        buf += `${k}\t${from + i}\t${1 + (i % 7)}\t${i % 3}\t0\n`;
        if (buf.length > 65536) { yield buf; buf = ""; }
      }
      yield buf;
    }
    await pipeline(Readable.from(gen2()), c.query(copyFrom("COPY series_1s (key_id, sec, max_in_flight, admitted, rejected) FROM STDIN")));
    console.log("copy 10 keys", performance.now() - t0);
    await c.end();
  } finally {
    await stores.close();
  }
}
main();
