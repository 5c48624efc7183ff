/** Shared helpers for the simulator's integration tests (real process, real HTTP). */
import http from "node:http";
import type { TestSimulator } from "../../tests/support/simulator";
import { waitFor as waitUntil } from "../../tests/support/wait";

export interface Resp {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

export function request(
  sim: TestSimulator,
  method: string,
  path: string,
  opts: { body?: unknown; key?: string | null; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Resp> {
  const body = opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string | number> = { ...opts.headers };
  const key = opts.key === undefined ? sim.masterKey : opts.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = Buffer.byteLength(body);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(`${sim.url}${path}`, { method, headers, agent, signal: opts.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

export async function newKey(sim: TestSimulator, body: Record<string, unknown> = {}): Promise<{ key: string; hash: string }> {
  const r = await request(sim, "POST", "/key/generate", { body });
  if (r.status !== 200) throw new Error(`key/generate ${r.status}: ${r.text}`);
  return { key: r.json.key, hash: r.json.token_id };
}

export function chat(sim: TestSimulator, key: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<Resp> {
  return request(sim, "POST", "/v1/chat/completions", {
    key,
    body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "hello" }], ...body },
    signal,
  });
}

/** POST /v1/messages: an Anthropic Messages body (claude-3-5-sonnet, one user message, max_tokens 256), `body` over it. */
export function messages(sim: TestSimulator, key: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<Resp> {
  return request(sim, "POST", "/v1/messages", {
    key,
    body: { model: "claude-3-5-sonnet", max_tokens: 256, messages: [{ role: "user", content: "hello" }], ...body },
    signal,
  });
}

/** POST /v1/responses (or `path`, e.g. /responses): a Responses body (gpt-4o-mini, input "hello"), `body` over it. */
export function responses(sim: TestSimulator, key: string, body: Record<string, unknown>, path = "/v1/responses"): Promise<Resp> {
  return request(sim, "POST", path, { key, body: { model: "gpt-4o-mini", input: "hello", ...body } });
}

export async function upstream(sim: TestSimulator, hash: string): Promise<{ current: number; peak: number }> {
  const r = await request(sim, "GET", "/sim/upstream", { key: null });
  return r.json.keys[hash] ?? { current: 0, peak: 0 };
}

/**
 * `clients` concurrent loops, each sending requests back to back until `forMs` has passed (a 429 is retried after
 * `backoffMs`). Returns the status counts.
 */
export async function load(
  sim: TestSimulator,
  key: string,
  clients: number,
  forMs: number,
  body: Record<string, unknown>,
  backoffMs = 20,
): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  const until = Date.now() + forMs;
  const loop = async () => {
    while (Date.now() < until) {
      const r = await chat(sim, key, body);
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      if (r.status !== 200) await sleep(backoffMs);
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  return counts;
}

/** A pause that is the scenario (traffic pacing, a deliberate gap): never to wait for something to happen. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** tests/support/wait.ts's waitFor in the argument order these tests use: polls `f` until it returns a value. */
export function waitFor<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  return waitUntil(f, { what, timeoutMs });
}

/** `%Y-%m-%d %H:%M:%S` in UTC. */
export function ymdHms(ms: number): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}
