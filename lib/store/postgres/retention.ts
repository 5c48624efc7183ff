// Retention on Postgres: whole partitions go, never rows (a large proxy's request table gains
// ~86 M rows a day: deleting them row by row would cost as much as writing them, and leave VACUUM
// the rest). A partition goes once its upper bound is at or before the cutoff, so a partition that
// straddles the cutoff keeps its rows until all of it is older: data is kept at least the policy
// and at most one partition span more (a day for requests and series, an hour for samples).
// Each run also creates the partitions for now and the next span of every table, so live writes
// rarely have to create one themselves. See partitions.ts for how partitions are dropped and made.
import type { RetentionPolicy, RetentionRepository } from "../../retention/repository";
import { PARTITIONED, spanOf, type PartitionSpec, type Partitions } from "./partitions";

export class PgRetentionRepository implements RetentionRepository {
  constructor(private readonly partitions: Partitions) {}

  /** Partitions dropped per table (`<table>_partitions_dropped`) and created ahead (`partitions_created`). */
  async apply(policy: RetentionPolicy, nowMs: number): Promise<Record<string, number>> {
    const plans: [PartitionSpec, number][] = [
      [PARTITIONED.request, nowMs - policy.requestsMs],
      [PARTITIONED.series1s, (nowMs - policy.secondsMs) / 1000],
      [PARTITIONED.series1m, (nowMs - policy.minutesMs) / 1000],
      // The hourly roll-up is kept as long as the minute one it is made from.
      [PARTITIONED.series1h, (nowMs - policy.minutesMs) / 1000],
      [PARTITIONED.samples, nowMs - policy.samplesMs],
    ];
    const out: Record<string, number> = {};
    let created = 0;
    for (const [spec] of plans) {
      // First, so a write reaching the next span while the drops below wait finds its partition.
      const now = spec.unit === "ms" ? nowMs : Math.floor(nowMs / 1000);
      created += await this.partitions.ensure(spec, [now, now + spanOf(spec)]);
    }
    // A partition goes when all its values are before the cutoff: upper bound <= cutoff (a fractional
    // cutoff in seconds only moves that test by less than one value).
    for (const [spec, cutoff] of plans) out[`${spec.table}_partitions_dropped`] = await this.partitions.dropBefore(spec, cutoff);
    out.partitions_created = created;
    return out;
  }
}
