// CPU time of other processes (Linux /proc): where an ingest run's time goes when this process,
// the simulator building pages and the Postgres backends share the machine's cores.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

let ticksPerSecond: number | null = null;

/** CPU time (user + system, ms) used so far by these processes (those gone meanwhile count nothing). */
function cpuMsOfPids(pids: Iterable<number>): number {
  ticksPerSecond ??= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // from field 3 (state) on
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    } catch {
      // gone meanwhile
    }
  }
  return (ticks / ticksPerSecond) * 1000;
}

/** CPU time (user + system, ms) used so far by the live processes whose command line contains every one of these strings. */
export function cpuMsOf(...needles: string[]): number {
  const pids: number[] = [];
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (needles.every((n) => cmd.includes(n))) pids.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return cpuMsOfPids(pids);
}

/** The simulator's processes (its tsx wrapper and node process). */
export const simulatorCpuMs = (sim: { pids(): number[] }) => cpuMsOfPids(sim.pids());

/** The Postgres backends connected to the database of this URL (they exit with their connections: read before closing). */
export function backendsCpuMs(url: string): number {
  const db = decodeURIComponent(new URL(url).pathname.slice(1));
  return cpuMsOf(`postgres: `, ` ${db} `);
}
