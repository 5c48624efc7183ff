import { toApiError } from "@/lib/http/api-error";

/** Wraps a route handler: JSON out, every error mapped to a 4xx/5xx with a readable message. */
export function handle<A extends unknown[]>(fn: (...args: A) => Promise<unknown>) {
  return async (...args: A): Promise<Response> => {
    try {
      const body = await fn(...args);
      return Response.json(body, { headers: { "cache-control": "no-store" } });
    } catch (e) {
      const err = toApiError(e);
      // Logged where the answer says "see the server log" (it carries no detail itself).
      if (err.code === "internal" || err.code === "store_unavailable") console.error(e);
      return Response.json({ error: { code: err.code, message: err.message } }, { status: err.status });
    }
  };
}
