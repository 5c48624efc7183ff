"use client";

import { useState } from "react";
import { AuthCard, Field, PrimaryButton } from "@/components/forms/field";
import { Banner } from "@/components/ui/banner";
import { SetupSchema } from "@/lib/api/accounts";
import { sendJson } from "@/lib/view/fetch-json";

export function SetupForm() {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = Object.fromEntries(new FormData(e.currentTarget));
    if (form.password !== form.confirm) return setErrors({ confirm: "The two passwords differ" });
    const parsed = SetupSchema.safeParse(form);
    if (!parsed.success) {
      return setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message.replace(/^\w+: /, "")])));
    }
    setErrors({});
    setBusy(true);
    setProblem(null);
    try {
      await sendJson("/api/setup", parsed.data);
      await sendJson("/api/auth/sign-in/email", { email: parsed.data.email, password: parsed.data.password });
      window.location.assign("/keys");
    } catch (err) {
      setProblem((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <AuthCard
      title="Set up Inflight"
      subtitle="Inflight has no admin yet. Make the first one: it can invite others, edit limits and run burst tests."
    >
      {problem ? (
        <div className="mb-4">
          <Banner title="Not set up">{problem}</Banner>
        </div>
      ) : null}
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="Email" name="email" type="email" autoComplete="username" required error={errors.email} />
        <Field label="Name" name="name" autoComplete="name" hint="Optional: shown in the audit trail with the email." error={errors.name} />
        <Field label="Password" name="password" type="password" autoComplete="new-password" required hint="At least 12 characters." error={errors.password} />
        <Field label="Repeat the password" name="confirm" type="password" autoComplete="new-password" required error={errors.confirm} />
        <PrimaryButton busy={busy}>Create the admin account</PrimaryButton>
      </form>
    </AuthCard>
  );
}
