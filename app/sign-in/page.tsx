import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { countAdmins } from "@/lib/accounts/accounts";
import { app } from "@/lib/server/app";
import { currentPrincipal } from "../_lib/access";
import { safeNext } from "../_lib/safe-next";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string; error?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const { next, error } = await searchParams;
  const target = safeNext(next);
  if (await currentPrincipal()) redirect(target);
  const a = await app();
  if ((await countAdmins(a.auth)) === 0 && !a.config.INFLIGHT_OIDC_ISSUER) redirect("/setup");
  return (
    <SignInForm
      next={target}
      sso={a.config.INFLIGHT_OIDC_ISSUER ? { name: a.config.INFLIGHT_OIDC_NAME } : null}
      error={error ? ssoErrorText(error) : null}
    />
  );
}

/** better-auth sends SSO failures back as ?error=<code>: say what happened in words. */
function ssoErrorText(code: string): string {
  if (/access|group|denied/i.test(code)) return "Your identity provider signed you in, but your groups give no access to Inflight. Ask an admin.";
  return `Single sign-on did not complete (${code.slice(0, 60)}). Try again, or sign in with a local account.`;
}
