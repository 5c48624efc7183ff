import type { APIRequestContext } from "@playwright/test";

/** The admin every e2e stack is started with (INFLIGHT_ADMIN_EMAIL / _PASSWORD). */
export const E2E_ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password-0123" };

/** Environment that makes a stack's first admin. */
export const adminEnv = () => ({ INFLIGHT_ADMIN_EMAIL: E2E_ADMIN.email, INFLIGHT_ADMIN_PASSWORD: E2E_ADMIN.password });

/**
 * Signs a browser context in to the Inflight at `base` through better-auth's own route (the
 * request shares the context's cookies), as the page's form does.
 */
export async function signIn(request: APIRequestContext, base: string, who = E2E_ADMIN): Promise<void> {
  const res = await request.post(`${base}/api/auth/sign-in/email`, {
    data: { email: who.email, password: who.password },
    headers: { origin: base },
  });
  if (!res.ok()) throw new Error(`sign-in at ${base} failed: ${res.status()} ${await res.text()}`);
}
