// A local HTTP receiver for tests of outgoing requests (alert channels, the delivery job): a real
// server on 127.0.0.1 at a free port that records every request and answers as told.
//
//   const rx = await startReceiver();                  // answers 200 "ok" until told otherwise
//   await send(rx.url + "/hook");                      // rx.url: "http://127.0.0.1:<port>"
//   rx.requests[0]                                     // { method, path, headers, body, at }
//   rx.answer({ status: 500 }, 2);                     // the next 2 requests get 500, then back to the default
//   rx.answer({ status: 429, headers: { "retry-after": "7" } }, 1);
//   rx.answer({ status: 202, body: { status: "success", message: "Event processed", dedup_key: "k" } }); // from now on
//   rx.stall(1);                                       // the next request gets no answer (held until stop())
//   await rx.waitForRequests(3);                       // resolves once 3 requests have arrived (rejects after 5 s)
//   rx.reset();                                        // forgets requests and one-off answers (not the default)
//   await rx.stop();
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** Lower-cased names, as node gives them. */
  headers: http.IncomingHttpHeaders;
  /** The raw body as UTF-8 text, byte for byte what was signed. */
  body: string;
  /** Date.now() when the body had arrived. */
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (with content-type: application/json). */
  body?: unknown;
}

export interface Receiver {
  /** "http://127.0.0.1:<port>", no trailing slash. */
  url: string;
  port: number;
  /** Every request so far, in arrival order. */
  requests: ReceivedRequest[];
  /** Answer the next `times` requests so; without `times`, every request from now on. */
  answer(answer: Answer, times?: number): void;
  /** Give the next `times` requests no answer at all (for timeouts); they stay open until stop(). */
  stall(times?: number): void;
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  reset(): void;
  stop(): Promise<void>;
}

type Reply = Answer | "stall";

export async function startReceiver(defaultAnswer: Answer = { status: 200, body: "ok" }): Promise<Receiver> {
  let fallback: Answer = defaultAnswer;
  const queued: Reply[] = [];
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      for (const wake of waiters) wake();
      const reply = queued.shift() ?? fallback;
      if (reply === "stall") return;
      const json = typeof reply.body !== "string" && reply.body !== undefined;
      res.writeHead(reply.status, { ...(json ? { "content-type": "application/json" } : {}), ...reply.headers });
      res.end(json ? JSON.stringify(reply.body) : (reply.body as string | undefined));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    answer(answer, times) {
      if (times === undefined) fallback = answer;
      else for (let i = 0; i < times; i++) queued.push(answer);
    },
    stall(times = 1) {
      for (let i = 0; i < times; i++) queued.push("stall");
    },
    waitForRequests(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(requests.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the receiver got ${requests.length} of ${count} requests within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    reset() {
      requests.length = 0;
      queued.length = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
