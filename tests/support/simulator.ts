import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort } from "./ports";

export interface TestSimulator {
  url: string;
  port: number;
  masterKey: string;
  stop(): Promise<void>;
  /** stdout+stderr so far, for failure messages */
  output(): string;
}

const ROOT = path.resolve(__dirname, "..", "..");

function flagValue(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

/** PIDs below `pid` (Linux /proc), deepest first. */
function descendants(pid: number): number[] {
  let kids: number[] = [];
  try {
    kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return kids.flatMap((k) => [...descendants(k), k]);
}

/**
 * SIGKILL for the tsx wrapper and the node process it runs (tsx relays SIGTERM, but nothing relays
 * SIGKILL), deepest first. Returns the PIDs it signalled, the child's last.
 */
export function killTree(child: ChildProcess): number[] {
  if (child.pid === undefined) return [];
  const pids = descendants(child.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  child.kill("SIGKILL");
  return [...pids, child.pid];
}

/**
 * Starts the LiteLLM simulator as a child process (`tsx simulator/src/main.ts --port N ...args`) from the repo root.
 * Resolves once it prints `simulator listening on http://127.0.0.1:N`; rejects with its output if it exits first or
 * 20 s pass. stop() sends SIGTERM and waits for the exit (SIGKILL after 5 s).
 */
export async function startSimulator(args: string[] = [], env?: NodeJS.ProcessEnv): Promise<TestSimulator> {
  const given = flagValue(args, "--port");
  const port = given !== undefined ? Number(given) : await freePort();
  const fullArgs = given !== undefined ? ["simulator/src/main.ts", ...args] : ["simulator/src/main.ts", "--port", String(port), ...args];
  const masterKey = flagValue(args, "--master-key") ?? env?.LITELLM_MASTER_KEY ?? process.env.LITELLM_MASTER_KEY ?? "sk-master";
  const child: ChildProcess = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), fullArgs, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = `simulator listening on http://127.0.0.1:${port}`;

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes(ready)) finish();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (e) => finish(new Error(`cannot start the simulator: ${e.message}\n${out}`)));
    child.once("exit", (code, signal) => finish(new Error(`simulator exited (code ${code}, signal ${signal}) before it was ready:\n${out}`)));
    const timer = setTimeout(() => {
      killTree(child);
      finish(new Error(`simulator was not ready within 20 s:\n${out}`));
    }, 20_000);
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    masterKey,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => killTree(child), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
