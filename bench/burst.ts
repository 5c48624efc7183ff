// burst_start_spread_ms: how far apart 1,000 burst requests reach the server, first to last, as the
// server sees them arrive (a recording server in its own process, holding every response so all
// requests are open at once). Ours (lib/burst/fire.ts: connections first, then every request
// written in one go) against autocannon with 1,000 connections and 1,000 requests, in the same run.
// Goal: at most autocannon's.
import { spawn, type ChildProcess } from "node:child_process";
import { fireBurst } from "../lib/burst/fire";
import { freePort } from "../tests/support/ports";
import { loadCannon } from "./cannon";
import { median } from "./format";
import type { BenchResult, BenchSuite } from "./types";

const N = 1000;
/** Each response is held this long, so every request is in flight together (as a burst's mock_delay does). */
const HOLD_MS = 1500;

/** Records when each POST arrives (ms, fractional); GET /arrivals answers them and starts afresh. */
const RECORDER = `
const http = require("node:http");
const { performance } = require("node:perf_hooks");
let arrivals = [];
const server = http.createServer((req, res) => {
  if (req.method === "GET") {
    const out = JSON.stringify(arrivals);
    arrivals = [];
    res.writeHead(200, { "content-type": "application/json" }).end(out);
    return;
  }
  arrivals.push(performance.timeOrigin + performance.now());
  req.resume();
  req.on("end", () => setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end("{}"), ${HOLD_MS}));
});
server.maxConnections = 5000;
server.listen(Number(process.argv[1]), "127.0.0.1", 2048, () => console.log("recorder listening"));
`;

async function startRecorder(): Promise<{ url: string; spread(): Promise<{ n: number; spreadMs: number }>; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["-e", RECORDER, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => String(d).includes("recorder listening") && resolve());
    child.once("exit", (c) => reject(new Error(`recorder exited ${c}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async spread() {
      const t = (await (await fetch(`${url}/arrivals`)).json()) as number[];
      return { n: t.length, spreadMs: t.length ? Math.max(...t) - Math.min(...t) : NaN };
    },
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export const burstBench: BenchSuite = async ({ quick }) => {
  const rounds = quick ? 3 : 7;
  const cannon = await loadCannon();
  const recorder = await startRecorder();
  try {
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "Inflight burst test" }], mock_response: "ok", mock_delay: 0, max_tokens: 1 });
    const ours: number[] = [];
    const peer: number[] = [];
    const measure = async (what: string, run: () => Promise<unknown>, into: number[]) => {
      await run();
      const s = await recorder.spread();
      if (s.n !== N) throw new Error(`${what}: the server saw ${s.n} of ${N} requests`);
      into.push(s.spreadMs);
    };
    for (let i = 0; i < rounds; i++) {
      // Interleaved, so both meet the same machine state.
      await measure("ours", () => fireBurst({ baseUrl: recorder.url, key: "sk-bench", model: "m" }, { n: N, holdS: 0, idPrefix: `bench-${i}` }), ours);
      await measure(
        "autocannon",
        () => cannon({ url: `${recorder.url}/v1/chat/completions`, method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-bench" }, body, connections: N, amount: N, timeout: 30 }),
        peer,
      );
    }
    const value = median(ours);
    const baseline = median(peer);
    console.log(`   spreads (ms): ours ${ours.map((x) => x.toFixed(0)).join(", ")}; autocannon ${peer.map((x) => x.toFixed(0)).join(", ")}`);
    return [{ name: "burst_start_spread_ms", value, unit: "ms", baseline, ratio: baseline / value } satisfies BenchResult];
  } finally {
    await recorder.stop();
  }
};
