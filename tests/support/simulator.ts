import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface TestSimulator {
  url: string;
  port: number;
  masterKey: string;
  /** The processes it runs as (the tsx wrapper and the node process below it), for CPU accounting. */
  pids(): number[];
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
 * Starts the LiteLLM simulator as a child process (`tsx simulator/src/main.ts --port 0 ...args`) from the repo root.
 * Resolves once it prints `simulator listening on http://127.0.0.1:N`, N being the port it bound (`--port 0`: the
 * simulator takes a free port itself, so no other process can take it between our choice and its bind); a
 * `--port` in `args` wins. Rejects with its output if it exits first or 20 s pass. stop() sends SIGTERM and waits
 * for the exit (SIGKILL after 5 s).
 */
export async function startSimulator(args: string[] = [], env?: NodeJS.ProcessEnv): Promise<TestSimulator> {
  const fullArgs = flagValue(args, "--port") !== undefined ? ["simulator/src/main.ts", ...args] : ["simulator/src/main.ts", "--port", "0", ...args];
  const masterKey = flagValue(args, "--master-key") ?? env?.LITELLM_MASTER_KEY ?? process.env.LITELLM_MASTER_KEY ?? "sk-master";
  const child: ChildProcess = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), fullArgs, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // The whole line (to its newline), read from stdout alone: a port split across two chunks is not taken for another.
  const ready = /simulator listening on http:\/\/127\.0\.0\.1:(\d+)\n/;
  let stdout = "";

  const port = await new Promise<number>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error, bound?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(bound!);
    };
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      stdout += d.toString();
      const m = ready.exec(stdout);
      if (m) finish(undefined, Number(m[1]));
    });
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
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
    pids: () => (child.pid === undefined ? [] : [child.pid, ...descendants(child.pid)]),
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

/**
 * One call to the simulator's admin API with its master key (and to its test-only /sim/* routes),
 * answering the JSON body; any status but 200 throws with what the simulator said.
 */
export async function simAdmin(sim: TestSimulator, method: "GET" | "POST", path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${sim.masterKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Leaks `n` of a key's slots on a simulator started with --leak-metadata-routes: each request on
 * /v1/messages completes and keeps its slot (LiteLLM #27955). The key's metadata must allow mocks.
 */
export async function leakSlots(sim: TestSimulator, rawKey: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${sim.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${rawKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-3-5-sonnet", max_tokens: 5, messages: [{ role: "user", content: "hi" }], mock_response: "ok" }),
    });
    if (res.status !== 200) throw new Error(`leaking a slot: ${res.status} ${await res.text()}`);
  }
}
