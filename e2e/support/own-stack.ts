import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../tests/support/ports";
import { adminEnv } from "./sign-in";
import { ROOT } from "./stack-env";

/**
 * An Inflight of the spec's own, through the real `npm start` path (scripts/start.mjs --no-build:
 * settings checked, migrations, `next start`), against a proxy and a Redis the spec started itself
 * and may stop: the shared webServer stack must stay healthy for the other specs. Loopback only, a
 * free port, a throwaway DATA_DIR removed by stop().
 */
export interface OwnStack {
  base: string;
  port: number;
  dataDir: string;
  /** The launcher's and the server's output so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface OwnStackEnv {
  LITELLM_URL: string;
  LITELLM_MASTER_KEY: string;
  REDIS_URL: string;
  [name: string]: string;
}

const READY = "Inflight is up";

async function startOn(port: number, env: OwnStackEnv): Promise<OwnStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "inflight-e2e-own-"));
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "scripts", "start.mjs"), "--no-build"], {
    cwd: ROOT,
    env: {
      ...process.env,
      // Nothing of the caller's environment decides where this stack points.
      INFLIGHT_DATABASE_URL: "",
      INFLIGHT_REDIS_URL: "",
      SIMULATOR_PORT: "",
      HOST: "127.0.0.1",
      NEXT_TELEMETRY_DISABLED: "1",
      ...adminEnv(),
      ...env,
      PORT: String(port),
      DATA_DIR: dataDir,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: if it ignores SIGTERM, SIGKILL reaches the launcher and what it started, and nothing else.
    detached: true,
  });
  let out = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM"); // start.mjs relays it; scripts/stack.ts stops `next start` and exits
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, 20_000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start was not up within 120 s:\n${out}`)), 120_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        if (out.includes(READY)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (code ${code}) before it was up:\n${out}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { base: `http://127.0.0.1:${port}`, port, dataDir, output: () => out, stop };
}

/**
 * Starts it, and starts again on another port when the one picked was taken before `next start`
 * bound it (npm start cannot take port 0 and say which it got).
 */
export async function startOwnStack(env: OwnStackEnv): Promise<OwnStack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(), env);
    } catch (e) {
      if (!/already in use|EADDRINUSE/.test((e as Error).message) || attempt === 3) throw e;
    }
  }
}
