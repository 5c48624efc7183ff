// burst_start_spread_ms: how far apart 1,000 burst requests reach the server, first to last. The
// server is a recorder in its own process, holding every response so all requests are open at once.
// A request's arrival is the moment the recorder reads the first bytes of its connection: raw TCP,
// stamped before any HTTP parsing (parsing 1,000 simultaneous requests on one thread takes longer
// than sending them, so a stamp after it measures the recorder's parse rate, not the spread). Ours
// (lib/burst/fire.ts: connections first, then every request written in one go) against autocannon
// with 1,000 connections and 1,000 requests, measured by the same recorder in the same run.
// Goal: at most autocannon's.
import { spawn, type ChildProcess } from "node:child_process";
import { fireBurst } from "../lib/burst/fire";
import { loadCannon } from "./cannon";
import { median } from "./format";
import type { BenchResult, BenchSuite } from "./types";

const N = 1000;
/** Each response is held this long, so every request is in flight together (as a burst's mock_delay does). */
const HOLD_MS = 1500;

/**
 * Stamps the first read of each connection (ms, fractional) and answers it after HOLD_MS; asked over
 * IPC, it hands the stamps over and starts afresh. One connection carries one request from either
 * contender (ours opens one per request, autocannon has as many connections as requests).
 */
const RECORDER = `
const net = require("node:net");
const { performance } = require("node:perf_hooks");
const RESPONSE = "HTTP/1.1 200 OK\\r\\ncontent-type: application/json\\r\\ncontent-length: 2\\r\\nconnection: close\\r\\n\\r\\n{}";
let arrivals = [];
const server = net.createServer((socket) => {
  socket.on("error", () => {}); // a client closing first is no news
  socket.once("data", () => {
    arrivals.push(performance.timeOrigin + performance.now());
    setTimeout(() => socket.end(RESPONSE), ${HOLD_MS});
  });
});
process.on("message", () => {
  process.send(arrivals);
  arrivals = [];
});
server.maxConnections = 5000;
server.listen(0, "127.0.0.1", 2048, () => process.send(server.address().port));
`;

async function startRecorder(): Promise<{ url: string; spread(): Promise<{ n: number; spreadMs: number }>; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["-e", RECORDER], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (p) => resolve(p as number));
    child.once("exit", (c) => reject(new Error(`recorder exited ${c}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async spread() {
      const t = await new Promise<number[]>((resolve) => {
        child.once("message", (m) => resolve(m as number[]));
        child.send("arrivals");
      });
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
  const rounds = quick ? 5 : 9;
  const cannon = await loadCannon();
  const recorder = await startRecorder();
  try {
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "Inflight burst test" }], mock_response: "ok", mock_delay: 0, max_tokens: 1 });
    const ours: number[] = [];
    const peer: number[] = [];
    const measure = async (what: string, run: () => Promise<unknown>, into: number[] | null) => {
      await run();
      const s = await recorder.spread();
      if (s.n !== N) throw new Error(`${what}: the server saw ${s.n} of ${N} requests`);
      into?.push(s.spreadMs);
    };
    const fireOurs = (i: number, into: number[] | null) =>
      measure("ours", () => fireBurst({ baseUrl: recorder.url, key: "sk-bench", model: "m" }, { n: N, holdS: 0, idPrefix: `bench-${i}` }), into);
    const firePeer = (into: number[] | null) =>
      measure(
        "autocannon",
        () => cannon({ url: `${recorder.url}/v1/chat/completions`, method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-bench" }, body, connections: N, amount: N, timeout: 30 }),
        into,
      );
    // One untimed round of each first: a fresh recorder (and a cold JIT) would otherwise weigh on
    // whichever goes first.
    await fireOurs(-1, null);
    await firePeer(null);
    for (let i = 0; i < rounds; i++) {
      // Interleaved, each first in every other round, so both meet the same machine state.
      if (i % 2 === 0) {
        await fireOurs(i, ours);
        await firePeer(peer);
      } else {
        await firePeer(peer);
        await fireOurs(i, ours);
      }
    }
    const value = median(ours);
    const baseline = median(peer);
    console.log(`   spreads (ms): ours ${ours.map((x) => x.toFixed(0)).join(", ")}; autocannon ${peer.map((x) => x.toFixed(0)).join(", ")}`);
    return [{ name: "burst_start_spread_ms", value, unit: "ms", baseline, ratio: baseline / value } satisfies BenchResult];
  } finally {
    await recorder.stop();
  }
};
