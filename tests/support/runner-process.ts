// `tsx scripts/runner.ts` as a child process, for tests of the runner as operators run it: its
// settings from the environment, killed (SIGKILL, no goodbye) or stopped (SIGTERM) at will.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { killTree } from "./simulator";
import { waitFor } from "./wait";

const ROOT = path.resolve(__dirname, "..", "..");

export interface RunnerProcess {
  output(): string;
  /** SIGKILL to the whole tree (tsx and the node process it runs); resolves once every one is dead. */
  crash(): Promise<void>;
  /** SIGTERM (the runner stops its jobs and closes the store); SIGKILL if it has not exited after 15 s. */
  stop(): Promise<void>;
  exited(): boolean;
}

/** Whether a PID is gone (or a zombie: dead, only not reaped yet). */
function gone(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").startsWith("Z");
  } catch {
    return true;
  }
}

/** Starts a runner with these settings over the test's environment; `cleanups` gets what ends it. */
export function spawnRunner(env: Record<string, string>, cleanups: (() => unknown)[]): RunnerProcess {
  const child: ChildProcess = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/runner.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exit = new Promise<void>((r) => child.once("exit", () => r()));
  const isDone = () => child.exitCode !== null || child.signalCode !== null;
  const crash = async () => {
    const pids = killTree(child);
    await exit;
    await waitFor(() => pids.every(gone), { what: "the killed runner's processes to be gone", timeoutMs: 30_000, intervalMs: 20 });
  };
  cleanups.push(() => (isDone() ? undefined : crash()));
  return {
    output: () => out,
    crash,
    exited: isDone,
    async stop() {
      if (isDone()) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => killTree(child), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
