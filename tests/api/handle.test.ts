// handle(), the wrapper every route handler answers through: a failure becomes JSON with the
// status, code and message toApiError (lib/http/api-error.ts) gives it, a generic 500 says nothing
// of the error, and success is uncached JSON.
import { describe, expect, it, vi } from "vitest";
import { handle } from "../../app/api/_lib/handle";
import { OverviewQuerySchema } from "../../lib/api/keys";

describe("handle()", () => {
  const secret = "sk-live-0123456789 at postgresql://inflight:hunter2@db/inflight";

  it("answers an unknown error as JSON with no message, stack or secret of the error, and logs it on the server", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const err = new Error(secret);
      const res = await handle(async () => {
        throw err;
      })();
      expect(res.status).toBe(500);
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({ error: { code: "internal", message: "Internal error; see the server log" } });
      for (const leak of ["sk-live", "hunter2", "postgresql", " at ", ".ts:"]) expect(body).not.toContain(leak);
      expect(logged.mock.calls).toEqual([[err]]);
    } finally {
      logged.mockRestore();
    }
  });

  it("handle() answers other mapped errors with their status, code and message, and success as uncached JSON", async () => {
    const res = await handle(async () => OverviewQuerySchema.parse({ from: "2", to: "1" }))();
    expect([res.status, await res.json()]).toEqual([422, { error: { code: "invalid_input", message: "to: to must be after from" } }]);
    const ok = await handle(async (n: number) => ({ n }))(3);
    expect([ok.status, ok.headers.get("cache-control"), await ok.json()]).toEqual([200, "no-store", { n: 3 }]);
  });
});
