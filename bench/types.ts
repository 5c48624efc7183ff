import type { BenchStores } from "./stores";

/** One figure printed by `npm run bench` and written to bench-results.json. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The same figure for the naive or peer approach, measured in the same run. */
  baseline: number;
  /** value / baseline for throughput figures, baseline / value for time figures: > 1 means better. */
  ratio: number;
}

export interface BenchOptions {
  quick: boolean;
  /** Fresh stores of either dialect; one Postgres cluster for the whole run. */
  stores: BenchStores;
}

export type BenchSuite = (opts: BenchOptions) => Promise<BenchResult[]>;
