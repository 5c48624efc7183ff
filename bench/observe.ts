// The observe pipeline's figures on both stores (SQLite, Postgres): ingest throughput and its
// raw-insert ceiling (bench/ingest.ts), the 24 h range query (bench/range-query.ts), and memory
// growth over a 5 M-row ingest (bench/memory.ts, SQLite). The overview has a suite of its own
// (bench/overview.ts).
import { ingestFigures } from "./ingest";
import { memoryFigures } from "./memory";
import { rangeQueryFigures } from "./range-query";
import type { BenchSuite } from "./types";

export const observeBench: BenchSuite = async ({ quick, stores }) => [
  ...(await ingestFigures(quick, stores)),
  ...(await rangeQueryFigures(quick, stores)),
  ...(await memoryFigures(quick, stores)),
];
