// `npm start` checks every setting before it installs, builds, migrates or starts anything.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { expect, it } from "vitest";
import { freePort } from "../support/ports";
import { waitFor } from "../support/wait";

const ROOT = path.resolve(__dirname, "..", "..");

it("a bad setting stops npm start with a non-zero exit and one line naming it, before anything starts", async () => {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inflight-start-")), "data");
  const port = await freePort();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["scripts/start.mjs", "--no-build"], {
      cwd: ROOT,
      env: { ...process.env, CATALOG_SYNC_INTERVAL_S: "2", DATA_DIR: dataDir, PORT: String(port), LITELLM_URL: "", REDIS_URL: "", INFLIGHT_DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (c) => resolve({ code: c, stdout, stderr }));
  });
  expect(code).not.toBe(0);
  const problems = stderr.split("\n").filter((l) => l.includes("CATALOG_SYNC_INTERVAL_S"));
  expect(problems).toEqual([expect.stringMatching(/CATALOG_SYNC_INTERVAL_S: CATALOG_SYNC_INTERVAL_S must be at least 5/)]);
  expect(stdout).not.toMatch(/Inflight is up/);
  // Nothing was started or written: no store, no Redis files.
  expect(fs.existsSync(dataDir)).toBe(false);
});

/**
 * Live processes (zombies excepted) in process group `pgid`, or whose command line names one of
 * `marks` (a data folder, a port): what a stopped `npm start` must not leave behind.
 */
function leftovers(pgid: number, marks: string[]): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // from field 3 (state) on
      if (fields[0] === "Z") continue;
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (Number(fields[2]) === pgid || marks.some((m) => cmd.includes(m))) found.push(`${pid} ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

it("a PORT already in use stops npm start with a non-zero exit and one line naming it, leaving no process behind", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "inflight-busy-"));
  const busy = net.createServer();
  await new Promise<void>((r) => busy.listen(0, "127.0.0.1", () => r()));
  const port = (busy.address() as net.AddressInfo).port;
  try {
    const child = spawn(process.execPath, ["scripts/start.mjs", "--no-build"], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), SIMULATOR_PORT: String(await freePort()), DATA_DIR: dataDir, LITELLM_URL: "", REDIS_URL: "", INFLIGHT_DATABASE_URL: "", INFLIGHT_REDIS_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).not.toBe(0);
    expect(stderr.split("\n").filter((l) => l.includes(`PORT ${port}`))).toEqual([`PORT ${port} is already in use on 127.0.0.1: set PORT to a free port`]);
    expect(stdout).not.toMatch(/Inflight is up/);
    // What it started before it found the port taken (its Redis, the simulator) is gone too.
    await waitFor(() => leftovers(child.pid!, [dataDir]).length === 0, { what: "no process left by the failed start", detail: () => leftovers(child.pid!, [dataDir]).join("\n") });
  } finally {
    busy.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);

/**
 * `npm start` (the built app; `npm test` builds first) with a data folder, until it says it is up, on
 * ports picked here: npm start cannot take port 0 and name the port it got, so when another process
 * takes a picked port first (npm start then stops, saying so) it starts again on others.
 */
async function startStack(env: Record<string, string>) {
  for (let attempt = 1; ; attempt++) {
    const ports = { PORT: String(await freePort()), SIMULATOR_PORT: String(await freePort()) };
    try {
      return await startStackOn({ ...env, ...ports });
    } catch (e) {
      if (!/already in use|EADDRINUSE/.test((e as Error).message) || attempt === 3) throw e;
    }
  }
}

async function startStackOn(env: Record<string, string>) {
  const child = spawn(process.execPath, ["scripts/start.mjs", "--no-build"], {
    cwd: ROOT,
    env: { ...process.env, LITELLM_URL: "", LITELLM_MASTER_KEY: "", REDIS_URL: "", INFLIGHT_DATABASE_URL: "", INFLIGHT_REDIS_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  const until = Date.now() + 120_000;
  while (!out.includes("Inflight is up")) {
    if (child.exitCode !== null || Date.now() > until) {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
      await exited;
      throw new Error(`npm start did not come up:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200)); // a poll of its output, with the deadline above
  }
  return {
    base: `http://127.0.0.1:${env.PORT}`,
    output: () => out,
    /** Ctrl+C, as in a terminal: the whole process group gets SIGINT; nothing of it may stay. */
    async stop() {
      process.kill(-child.pid!, "SIGINT");
      await exited;
      const marks = [env.DATA_DIR, `--port ${env.SIMULATOR_PORT}`];
      await waitFor(() => leftovers(child.pid!, marks).length === 0, { what: "no process left after Ctrl+C", detail: () => leftovers(child.pid!, marks).join("\n") });
    },
  };
}

it("two starts in a row list each demo key once, under the same hash; Ctrl+C leaves no process", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "inflight-restart-"));
  const token = "ift_launcher-test-automation-token";
  const env = { DATA_DIR: dataDir, INFLIGHT_API_TOKEN: token };
  const demoKeys = async (base: string) => {
    const until = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${base}/api/overview?from=${Date.now() - 86_400_000}&to=${Date.now()}`, { headers: { authorization: `Bearer ${token}` } });
      const rows = res.ok ? ((await res.json()) as { rows: { alias: string | null; hash: string }[] }).rows : [];
      const demo = rows.filter((r) => r.alias?.startsWith("demo-"));
      if (demo.length >= 4 || Date.now() > until) return demo.map((r) => `${r.alias} ${r.hash}`).sort();
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  try {
    const first = await startStack(env);
    const before = await demoKeys(first.base).finally(() => first.stop());
    expect(before).toHaveLength(4);
    const second = await startStack(env);
    const after = await demoKeys(second.base).finally(() => second.stop());
    expect(after).toEqual(before);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 300_000);
