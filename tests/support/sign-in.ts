import { expect } from "vitest";
import { POST as authPost } from "../../app/api/auth/[...all]/route";

/**
 * Signs in through better-auth's own route, as the sign-in form does, on an app whose public URL is
 * `base`; the session cookie to send back.
 */
export async function signIn(base: string, who: { email: string; password: string }): Promise<Record<string, string>> {
  const res = await authPost(
    new Request(`${base}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify(who) }),
  );
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  expect(cookie).toContain("inflight.session_token=");
  return { cookie };
}
