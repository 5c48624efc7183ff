import { toApiError } from "@/lib/http/api-error";

/** Wraps a route handler: JSON out, every error mapped to a 4xx/5xx with a readable message. */
export function handle<A extends unknown[]>(fn: (...args: A) => Promise<unknown>) {
  return async (...args: A): Promise<Response> => {
    try {
      const body = await fn(...args);
      return Response.json(body, { headers: { "cache-control": "no-store" } });
    } catch (e) {
      const err = toApiError(e);
      if (err.status >= 500 && err.code === "internal") console.error(e);
      return Response.json({ error: { code: err.code, message: err.message } }, { status: err.status });
    }
  };
}
