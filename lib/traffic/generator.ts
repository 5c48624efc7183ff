// Server-only (node:http): never import this from browser code.
import http from "node:http";

/** Counts by outcome: `ok` is HTTP 200, `rejected` is 429, `other` any other status or a network error (0). */
export interface TrafficResult {
  sent: number;
  ok: number;
  rejected: number;
  other: number;
}

/**
 * Runs `clients` concurrent clients against an OpenAI-compatible endpoint with a virtual key until
 * `durationMs` passes, each sending zero-cost mock requests back to back (with the key's
 * allow_client_mock_response set). `delayS(i)` gives the i-th request's mock_delay in seconds.
 */
export async function runTraffic(opts: {
  baseUrl: string;
  key: string;
  clients: number;
  durationMs: number;
  delayS: (i: number) => number;
  pauseMs?: number;
}): Promise<TrafficResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients + 8 });
  const result: TrafficResult = { sent: 0, ok: 0, rejected: 0, other: 0 };
  const until = Date.now() + opts.durationMs;
  let n = 0;
  const one = (delay: number) =>
    new Promise<number>((resolve) => {
      const body = JSON.stringify({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "hi" }],
        mock_response: "ok",
        mock_delay: delay,
      });
      const req = http.request(
        `${opts.baseUrl}/v1/chat/completions`,
        {
          method: "POST",
          agent,
          headers: { authorization: `Bearer ${opts.key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", () => resolve(0));
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: opts.clients }, async () => {
      while (Date.now() < until) {
        result.sent++;
        const status = await one(opts.delayS(n++));
        if (status === 200) result.ok++;
        else if (status === 429) result.rejected++;
        else result.other++;
        if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
      }
    }),
  );
  agent.destroy();
  return result;
}
