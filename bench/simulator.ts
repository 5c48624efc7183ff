import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { freePort } from "../tests/support/ports";
import { startRedis } from "../tests/support/redis";
import { startSimulator, type TestSimulator } from "../tests/support/simulator";
import { loadCannon, type CannonResult } from "./cannon";
import type { BenchResult, BenchSuite } from "./types";

/** The baseline: a bare node:http server that parses the same body and answers the same completion JSON. */
const BARE_SERVER = `
const http = require("node:http");
const crypto = require("node:crypto");
const port = Number(process.argv[1]);
http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const text = JSON.stringify({ id: "chatcmpl-" + crypto.randomUUID(), created: Math.floor(Date.now() / 1000), model: body.model,
      object: "chat.completion", system_fingerprint: null,
      choices: [{ finish_reason: "stop", index: 0, message: { content: body.mock_response, role: "assistant", tool_calls: null, function_call: null } }],
      usage: { completion_tokens: 20, prompt_tokens: 10, total_tokens: 30 } });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  });
}).listen(port, "127.0.0.1", () => console.log("bare listening"));
`;

async function startBare(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["-e", BARE_SERVER, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => String(d).includes("bare listening") && resolve());
    child.once("exit", (c) => reject(new Error(`bare server exited ${c}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function post(url: string, path: string, key: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = http.request(
      `${url}${path}`,
      { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(text) } },
      (res) => {
        let s = "";
        res.on("data", (c) => (s += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(s) }));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

function get(url: string, key: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { authorization: `Bearer ${key}` } }, (res) => {
        let s = "";
        res.on("data", (c) => (s += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: s }));
      })
      .on("error", reject);
  });
}

function checkClean(what: string, r: CannonResult): void {
  if (r.errors || r.timeouts || r.non2xx) {
    throw new Error(`${what}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodeStats)})`);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ymdHms = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

/** A naive spend-log store for the seeding baseline: one JSON-ready object per row, as a straightforward server would keep it. */
function naiveSeed(n: number, from: number, to: number): { startTime: string; startMs: number; api_key: string; request_id: string; spend: number; status: string }[] {
  const rows = [];
  const step = (to - from) / n;
  for (let i = 0; i < n; i++) {
    const startMs = Math.floor(from + (i + Math.random()) * step);
    rows.push({
      request_id: `chatcmpl-${i.toString(16).padStart(12, "0")}`,
      api_key: (i % 8).toString(16).repeat(64),
      startMs,
      startTime: new Date(startMs).toISOString(),
      spend: Math.random() / 1000,
      status: Math.random() < 0.03 ? "failure" : "success",
    });
  }
  return rows;
}

/**
 * `simulator_requests_per_s`: short mock chat completions through the simulator (gauge limiter, real Redis,
 * a key whose limit never rejects) with autocannon, 500 connections; baseline: a bare node:http server answering
 * the same JSON. Both must answer every request 2xx.
 * `simulator_seed_rows_per_s`: `--seed-spend-logs` start-up rate; baseline: building the same rows as objects.
 * `simulator_spend_page_ms`: one `/spend/logs/ui` page of 1000 rows of a 1-minute window over HTTP, median;
 * baseline: filter + sort + serialize over the naive object store, in process.
 */
export const simulatorBench: BenchSuite = async ({ quick }) => {
  const cannon = await loadCannon();
  const duration = quick ? 4 : 15;
  const connections = 500;
  const body = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "ping" }], mock_response: "pong" });
  const results: BenchResult[] = [];

  const redis = await startRedis();
  let sim: TestSimulator | undefined;
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    sim = await startSimulator(["--limiter", "gauge", "--redis-url", redis.url]);
    const gen = await post(sim.url, "/key/generate", sim.masterKey, {
      key_alias: "bench",
      max_parallel_requests: 1_000_000,
      metadata: { allow_client_mock_response: true },
    });
    const key = gen.json.key as string;
    const opts = { method: "POST", connections, duration, body, headers: { "content-type": "application/json", authorization: `Bearer ${key}` } };
    await cannon({ ...opts, url: `${sim.url}/v1/chat/completions`, duration: 1 }); // warm-up (JIT, Redis scripts)
    const s = await cannon({ ...opts, url: `${sim.url}/v1/chat/completions` });
    checkClean("simulator", s);
    const up = JSON.parse((await get(`${sim.url}/sim/upstream`, key)).body);
    bare = await startBare();
    await cannon({ ...opts, url: `${bare.url}/v1/chat/completions`, duration: 1 });
    const b = await cannon({ ...opts, url: `${bare.url}/v1/chat/completions` });
    checkClean("bare server", b);
    console.log(
      `   simulator p50 ${s.latency.p50} ms p99 ${s.latency.p99} ms, peak in flight ${up.total.peak}; bare p50 ${b.latency.p50} ms p99 ${b.latency.p99} ms`,
    );
    results.push({
      name: "simulator_requests_per_s",
      value: s.requests.average,
      unit: "req/s",
      baseline: b.requests.average,
      ratio: s.requests.average / b.requests.average,
    });
  } finally {
    await bare?.stop();
    await sim?.stop();
    await redis.stop();
  }

  const rows = quick ? 200_000 : 1_000_000;
  let seeded: TestSimulator | undefined;
  try {
    seeded = await startSimulator(["--seed-spend-logs", String(rows)]);
    const m = /seeded (\d+) spend-log rows in (\d+) ms/.exec(seeded.output());
    if (!m) throw new Error(`no seeding line in:\n${seeded.output()}`);
    const seedMs = Math.max(1, Number(m[2]));
    const t0 = performance.now();
    const naive = naiveSeed(rows, Date.now() - 86_400_000, Date.now());
    const naiveMs = performance.now() - t0;
    results.push({
      name: "simulator_seed_rows_per_s",
      value: rows / (seedMs / 1000),
      unit: "rows/s",
      baseline: rows / (naiveMs / 1000),
      ratio: naiveMs / seedMs,
    });

    // One page of 1000 rows for a 1-minute window, at spread points of the day.
    const times: number[] = [];
    const naiveTimes: number[] = [];
    const now = Date.now();
    for (let i = 0; i < 15; i++) {
      const end = Math.floor((now - 3_600_000 - i * 4_000_000) / 1000) * 1000;
      const start = end - 60_000;
      const q = new URLSearchParams({ start_date: ymdHms(start), end_date: ymdHms(end), page_size: "1000" });
      const t1 = performance.now();
      const r = await get(`${seeded.url}/spend/logs/ui?${q}`, seeded.masterKey);
      times.push(performance.now() - t1);
      const parsed = JSON.parse(r.body);
      if (r.status !== 200 || parsed.data.length === 0) throw new Error(`spend page ${r.status}: ${r.body.slice(0, 200)}`);
      const t2 = performance.now();
      const page = naive
        .filter((x) => x.startMs >= start && x.startMs <= end)
        .sort((a, b) => b.startMs - a.startMs)
        .slice(0, 1000);
      JSON.stringify(page);
      naiveTimes.push(performance.now() - t2);
    }
    const pageMs = median(times);
    const naivePageMs = median(naiveTimes);
    console.log(`   seeded ${rows} rows in ${seedMs} ms; 1-minute page of up to 1000 rows over HTTP: median ${pageMs.toFixed(1)} ms`);
    results.push({ name: "simulator_spend_page_ms", value: pageMs, unit: "ms", baseline: naivePageMs, ratio: naivePageMs / pageMs });
  } finally {
    await seeded?.stop();
  }
  return results;
};
