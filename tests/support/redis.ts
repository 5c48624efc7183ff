import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../scripts/lib/services";

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The port was free when picked, and another process bound it before redis-server did. */
class PortTaken extends Error {}

const ATTEMPTS = 5;

/**
 * Starts a throwaway redis-server on a free loopback port; stop() kills it and removes its files.
 * redis-server cannot bind port 0 and say which port it got, so the port is picked here (bound and
 * released): when another process takes it before redis-server binds it, it starts again on another.
 */
export async function startRedis(): Promise<TestRedis> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRedisOn(await freePort());
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt === ATTEMPTS) throw e;
    }
  }
}

async function startRedisOn(port: number): Promise<TestRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inflight-redis-"));
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let ready = false;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    // Ready when *this* server says so: a PING could be answered by whichever process holds the port.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server on port ${port} was not ready within 10 s:\n${out}`)), 10_000);
      const done = (err?: Error) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      // Read on after ready too, and drop it: a full pipe would stall the server.
      const onData = (d: Buffer) => {
        if (ready) return;
        out += d.toString();
        if (out.includes("Ready to accept connections")) {
          ready = true;
          done();
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("error", (e) => done(new Error(`cannot start redis-server (${e.message}); install it with: apt-get install -y redis-server`)));
      child.once("exit", (code) => {
        if (ready) return;
        if (/Address already in use/.test(out)) done(new PortTaken(`port ${port} was taken before redis-server bound it`));
        else done(new Error(`redis-server exited (code ${code}) before it was ready:\n${out}`));
      });
    });
  } catch (e) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
