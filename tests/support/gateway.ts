import http from "node:http";
import type net from "node:net";

export type GatewayMode = "up" | "error" | "down";

/**
 * A real HTTP hop in front of the simulator that a test can break: "error" answers 503 like a
 * proxy behind a failing load balancer, "down" closes the port (connection refused).
 */
export async function startGateway(targetUrl: string) {
  let port = 0; // the first listen takes a free port itself; "down" then "up" listens on that one again
  const target = new URL(targetUrl);
  let mode: GatewayMode = "up";
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    if (mode === "error") {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "upstream unavailable", type: "None", param: "None", code: "503" } }));
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    upstream.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const listen = () =>
    new Promise<void>((r) =>
      server.listen(port, "127.0.0.1", () => {
        port = (server.address() as net.AddressInfo).port;
        r();
      }),
    );
  const close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    async set(next: GatewayMode) {
      if (next === mode) return;
      if (mode === "down") await listen();
      if (next === "down") await close();
      mode = next;
    },
    async stop() {
      if (mode !== "down") await close();
    },
  };
}
