import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

/** A child process the launcher owns: started, watched, and stopped on exit. */
export interface Service {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a Redis on 127.0.0.1:port answers PING (raw RESP: usable before any client library loads). */
export function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, "127.0.0.1");
    sock.once("connect", () => sock.write("PING\r\n"));
    sock.once("data", (d) => {
      sock.destroy();
      resolve(d.toString().startsWith("+PONG"));
    });
    sock.once("error", () => resolve(false));
  });
}

export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/**
 * Spawns a service with its output prefixed by its name, resolving once `ready` matches a line
 * of its output (or its check passes). Rejects with the output so far if it exits first.
 */
export function startService(opts: {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  ready: RegExp | (() => Promise<boolean>);
  timeoutMs?: number;
  quiet?: boolean;
}): Promise<Service> {
  const child = spawn(opts.command, opts.args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const service: Service = {
    name: opts.name,
    child,
    exited,
    async stop() {
      if (exitCode !== undefined) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 8_000);
      await exited;
      clearTimeout(t);
    },
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        void service.stop();
        reject(err);
      } else resolve(service);
    };
    const onLine = (line: string) => {
      output += line + "\n";
      if (output.length > 20_000) output = output.slice(-10_000);
      if (!opts.quiet || settled) process.stdout.write(`[${opts.name}] ${line}\n`);
      if (opts.ready instanceof RegExp && opts.ready.test(line)) settle();
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buf = "";
      stream!.setEncoding("utf8");
      stream!.on("data", (d: string) => {
        buf += d;
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          onLine(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
    }
    child.once("error", (e) => settle(new Error(`${opts.name} could not start: ${e.message}`)));
    void exited.then((code) => settle(new Error(`${opts.name} exited (code ${code}) before it was ready:\n${output.trim()}`)));
    const timer = setTimeout(() => settle(new Error(`${opts.name} was not ready after ${(opts.timeoutMs ?? 30_000) / 1000} s:\n${output.trim()}`)), opts.timeoutMs ?? 30_000);
    if (typeof opts.ready === "function") {
      const check = opts.ready;
      void (async () => {
        while (!settled) {
          if (await check().catch(() => false)) return settle();
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
    }
  });
}
