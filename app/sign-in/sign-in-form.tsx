"use client";

import { useState } from "react";
import { AuthCard, Field, PrimaryButton } from "@/components/forms/field";
import { Banner } from "@/components/ui/banner";
import { sendJson } from "@/lib/view/fetch-json";

export function SignInForm({ next, sso, error }: { next: string; sso: { name: string } | null; error: string | null }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(error);

  async function signIn(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setProblem(null);
    try {
      await sendJson("/api/auth/sign-in/email", { email: form.get("email"), password: form.get("password") });
      window.location.assign(next);
    } catch (err) {
      setProblem(wordSignInError((err as Error).message));
      setBusy(false);
    }
  }

  async function signInWithSso() {
    setBusy(true);
    try {
      const { url } = await sendJson<{ url: string }>("/api/auth/sign-in/social", {
        provider: "oidc",
        callbackURL: next,
        errorCallbackURL: `/sign-in?next=${encodeURIComponent(next)}`,
      });
      window.location.assign(url);
    } catch (err) {
      setProblem((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Sign in to Inflight" subtitle="Per-key concurrency on your LiteLLM proxy.">
      {problem ? (
        <div className="mb-4">
          <Banner title="Not signed in">{problem}</Banner>
        </div>
      ) : null}
      {sso ? (
        <>
          <button
            type="button"
            onClick={signInWithSso}
            disabled={busy}
            className="inline-flex w-full items-center justify-center rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-sky-500 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950 dark:hover:bg-zinc-800"
          >
            Sign in with {sso.name}
          </button>
          <p className="my-4 text-center text-xs text-zinc-500">or with a local account</p>
        </>
      ) : null}
      <form onSubmit={signIn} className="space-y-4">
        <Field label="Email" name="email" type="email" autoComplete="username" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <PrimaryButton busy={busy}>Sign in</PrimaryButton>
      </form>
    </AuthCard>
  );
}

/** better-auth's messages, said for an operator. */
function wordSignInError(message: string): string {
  if (/invalid email or password/i.test(message)) return "Wrong email or password.";
  if (/too many/i.test(message)) return "Too many sign-in attempts from here: wait a minute and try again.";
  return message;
}
