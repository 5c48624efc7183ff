// The local receiver other tests post to: what it records, one-off and standing answers, stalls,
// waiting for requests.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Receiver, startReceiver } from "./receiver";

/** A POST with node's own client: status, content-type and body of the answer, or "no answer" within `timeoutMs`. */
function send(url: string, body: string, timeoutMs = 1_000): Promise<{ status: number; type: string | undefined; body: string } | "no answer"> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { "x-test": "1" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve("no answer");
    });
    req.on("error", (e) => (req.destroyed ? undefined : reject(e)));
    req.end(body);
  });
}

describe("startReceiver", () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx.stop();
  });

  it("listens on 127.0.0.1, answers 200 ok and records each request", async () => {
    expect(rx.url).toBe(`http://127.0.0.1:${rx.port}`);
    const before = Date.now();
    expect(await send(`${rx.url}/a?b=1`, "héllo")).toEqual({ status: 200, type: undefined, body: "ok" });
    expect(rx.requests).toEqual([{ method: "POST", path: "/a?b=1", headers: expect.objectContaining({ "x-test": "1" }), body: "héllo", at: expect.any(Number) }]);
    expect(rx.requests[0].at).toBeGreaterThanOrEqual(before);
  });

  it("one-off answers come first, then the standing one; JSON bodies get their content-type", async () => {
    rx.answer({ status: 202, body: { status: "success" } });
    rx.answer({ status: 500, headers: { "retry-after": "3" }, body: "down" }, 2);
    const got = [];
    for (let i = 0; i < 3; i++) got.push(await send(rx.url, ""));
    expect(got).toEqual([
      { status: 500, type: undefined, body: "down" },
      { status: 500, type: undefined, body: "down" },
      { status: 202, type: "application/json", body: '{"status":"success"}' },
    ]);
    rx.answer({ status: 200, body: "ok" });
  });

  it("stall leaves a request unanswered; reset forgets requests; waitForRequests waits or says how many came", async () => {
    rx.reset();
    rx.stall(1);
    expect(await send(rx.url, "", 200)).toBe("no answer");
    const waiting = rx.waitForRequests(2);
    await send(rx.url, "second");
    expect((await waiting).map((q) => q.body)).toEqual(["", "second"]);
    await expect(rx.waitForRequests(3, 100)).rejects.toThrow("the receiver got 2 of 3 requests within 100 ms");
  });
});
