import { checkOrigin, principalOf, requireRole } from "@/lib/accounts/principal";
import type { Principal, Role } from "@/lib/accounts/roles";
import { toApiError } from "@/lib/http/api-error";
import { app, type App } from "@/lib/server/app";

/** Wraps a route handler: JSON out, every error mapped to a 4xx/5xx with a readable message. */
export function handle<A extends unknown[]>(fn: (...args: A) => Promise<unknown>) {
  return async (...args: A): Promise<Response> => {
    try {
      const body = await fn(...args);
      if (body instanceof Response) return body;
      return Response.json(body, { headers: { "cache-control": "no-store" } });
    } catch (e) {
      const err = toApiError(e);
      // Logged where the answer says "see the server log" (it carries no detail itself).
      if (err.code === "internal" || err.code === "store_unavailable") console.error(e);
      return Response.json({ error: { code: err.code, message: err.message } }, { status: err.status });
    }
  };
}

/** What a route handler gets once the caller is known: the app and who is asking. */
export interface Access {
  app: App;
  principal: Principal;
}

/**
 * The one place routes check who is asking: a session cookie or an API token, with at least this
 * role (401 signed out, 403 a viewer at an admin route). Writes (anything but GET) must also come
 * from Inflight's own pages when carried by a cookie (403 otherwise).
 */
export function withAccess<R extends unknown[]>(role: Role, fn: (req: Request, access: Access, ...rest: R) => Promise<unknown>) {
  return handle(async (req: Request, ...rest: R) => {
    const a = await app();
    if (req.method !== "GET" && req.method !== "HEAD") checkOrigin(req.headers, a.trustedOrigins);
    const principal = requireRole(await principalOf(req.headers, { store: a.store, auth: a.auth }), role);
    return fn(req, { app: a, principal }, ...rest);
  });
}
