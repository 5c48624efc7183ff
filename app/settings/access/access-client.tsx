"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Banner } from "@/components/ui/banner";
import { AccountCreateSchema, AccountListSchema, TokenCreateSchema, TokenListSchema, type AccountView, type TokenView } from "@/lib/api/accounts";
import { fetchJson, sendJson } from "@/lib/view/fetch-json";
import { ago } from "@/lib/view/format/time";

const INPUT =
  "rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-950";
const BUTTON =
  "rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-sky-500 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800";
const PRIMARY = "rounded-md bg-sky-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-sky-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:opacity-50";

/** "team-a, team-b" → ["team-a", "team-b"]; empty → null (every team). */
const teamsFrom = (text: string) => {
  const t = text.split(",").map((s) => s.trim()).filter(Boolean);
  return t.length ? t : null;
};

export function AccessClient({ sso }: { sso: string | null }) {
  return (
    <div className="space-y-8">
      <Accounts sso={sso} />
      <Tokens />
    </div>
  );
}

function Section({ title, note, children }: { title: string; note: string; children: React.ReactNode }) {
  return (
    <section className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" aria-label={title}>
      <div>
        <h2 className="text-base font-semibold">{title}</h2>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">{note}</p>
      </div>
      {children}
    </section>
  );
}

function Accounts({ sso }: { sso: string | null }) {
  const queries = useQueryClient();
  const list = useQuery({ queryKey: ["accounts"], queryFn: ({ signal }) => fetchJson("/api/accounts", AccountListSchema, { signal }) });
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: ({ url, body, method }: { url: string; body: unknown; method: string; said: string }) => sendJson(url, body, method),
    onSuccess: (_r, v) => (setDone(v.said), setProblem(null), void queries.invalidateQueries({ queryKey: ["accounts"] })),
    onError: (e: Error) => (setProblem(e.message), setDone(null)),
  });

  function invite(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
    const parsed = AccountCreateSchema.safeParse({ email: f.email, role: f.role, teams: f.role === "admin" ? null : teamsFrom(f.teams ?? ""), ...(f.password ? { password: f.password } : {}) });
    if (!parsed.success) return setProblem(parsed.error.issues.map((i) => i.message).join("; "));
    act.mutate({ url: "/api/accounts", body: parsed.data, method: "POST", said: `Invited ${parsed.data.email}.` });
    e.currentTarget.reset();
  }

  return (
    <Section
      title="Accounts"
      note={`Viewers see everything but secrets (or only some teams' keys); admins also edit limits, run burst tests and manage access.${sso ? ` People from ${sso} get their role from their groups at each sign-in.` : ""}`}
    >
      {problem ? <Banner title="Not done">{problem}</Banner> : null}
      {done ? <Banner tone="info" title={done} /> : null}
      {list.error ? <Banner title="Could not read the accounts">{list.error.message}</Banner> : null}
      {list.data ? (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-zinc-500 dark:text-zinc-400">
            <tr>
              <th className="py-1 font-medium">Account</th>
              <th className="py-1 font-medium">Role</th>
              <th className="py-1 font-medium">Teams</th>
              <th className="py-1 font-medium">Signs in with</th>
              <th className="py-1" />
            </tr>
          </thead>
          <tbody>
            {list.data.accounts.map((a) => (
              <AccountRow key={a.id} a={a} me={a.id === list.data.me} act={(url, body, method, said) => act.mutate({ url, body, method, said })} />
            ))}
          </tbody>
        </table>
      ) : null}
      <form onSubmit={invite} className="flex flex-wrap items-end gap-3 border-t border-zinc-100 pt-4 dark:border-zinc-800" aria-label="Invite an account">
        <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="block">Email</span>
          <input name="email" type="email" required className={`${INPUT} w-56`} placeholder="someone@example.com" />
        </label>
        <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="block">Role</span>
          <select name="role" className={INPUT} defaultValue="viewer">
            <option value="viewer">viewer</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="block">Teams (viewers; empty = all)</span>
          <input name="teams" className={`${INPUT} w-44`} placeholder="team-a, team-b" />
        </label>
        <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="block">Password {sso ? "(empty: SSO only)" : "(12+ characters)"}</span>
          <input name="password" type="password" autoComplete="new-password" className={`${INPUT} w-44`} />
        </label>
        <button type="submit" className={PRIMARY} disabled={act.isPending}>
          Invite
        </button>
      </form>
    </Section>
  );
}

function AccountRow({ a, me, act }: { a: AccountView; me: boolean; act: (url: string, body: unknown, method: string, said: string) => void }) {
  const [teams, setTeams] = useState(a.teams?.join(", ") ?? "");
  const [password, setPassword] = useState<string | null>(null);
  const save = (role: "viewer" | "admin") => act(`/api/accounts/${a.id}`, { role, teams: role === "admin" ? null : teamsFrom(teams) }, "PATCH", `Saved ${a.email}.`);
  return (
    <tr className="border-t border-zinc-100 dark:border-zinc-800" data-testid="account-row">
      <td className="py-2">
        {a.email}
        {me ? <span className="ml-2 text-xs text-zinc-500">(you)</span> : null}
      </td>
      <td className="py-2">
        <select aria-label={`Role of ${a.email}`} className={INPUT} value={a.role} onChange={(e) => save(e.target.value as "viewer" | "admin")}>
          <option value="viewer">viewer</option>
          <option value="admin">admin</option>
        </select>
      </td>
      <td className="py-2">
        {a.role === "admin" ? (
          <span className="text-xs text-zinc-500">every team</span>
        ) : (
          <input
            aria-label={`Teams of ${a.email}`}
            className={`${INPUT} w-40`}
            value={teams}
            placeholder="every team"
            onChange={(e) => setTeams(e.target.value)}
            onBlur={() => teams !== (a.teams?.join(", ") ?? "") && save(a.role)}
          />
        )}
      </td>
      <td className="py-2 text-xs text-zinc-600 dark:text-zinc-400">{a.signIn.length ? a.signIn.join(" + ") : "nothing yet (SSO)"}</td>
      <td className="space-x-2 py-2 text-right">
        {password === null ? (
          <button type="button" className={BUTTON} onClick={() => setPassword("")}>
            {a.signIn.includes("password") ? "Set password" : "Add a password"}
          </button>
        ) : (
          <form
            className="inline-flex gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              act(`/api/accounts/${a.id}/password`, { password }, "POST", `Set a new password for ${a.email}${me ? "" : "; its sessions ended"}.`);
              setPassword(null);
            }}
          >
            <input
              type="password"
              autoComplete="new-password"
              aria-label={`New password for ${a.email}`}
              placeholder="12+ characters"
              className={`${INPUT} w-36`}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <button type="submit" className={BUTTON}>
              Save
            </button>
          </form>
        )}
        <button type="button" className={BUTTON} onClick={() => act(`/api/accounts/${a.id}/sign-out`, {}, "POST", `Signed ${a.email} out everywhere.`)}>
          Sign out everywhere
        </button>
        {!me ? (
          <button type="button" className={`${BUTTON} text-rose-700 dark:text-rose-300`} onClick={() => confirm(`Remove ${a.email}?`) && act(`/api/accounts/${a.id}`, {}, "DELETE", `Removed ${a.email}.`)}>
            Remove
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function Tokens() {
  const queries = useQueryClient();
  const list = useQuery({ queryKey: ["tokens"], queryFn: ({ signal }) => fetchJson("/api/tokens", TokenListSchema, { signal }) });
  const [fresh, setFresh] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: unknown) => sendJson<{ token: string }>("/api/tokens", body),
    onSuccess: (r) => (setFresh(r.token), setProblem(null), void queries.invalidateQueries({ queryKey: ["tokens"] })),
    onError: (e: Error) => setProblem(e.message),
  });
  const revoke = useMutation({
    mutationFn: (id: number) => sendJson(`/api/tokens/${id}`, {}, "DELETE"),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ["tokens"] }),
    onError: (e: Error) => setProblem(e.message),
  });

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = TokenCreateSchema.safeParse(Object.fromEntries(new FormData(e.currentTarget)));
    if (!parsed.success) return setProblem(parsed.error.issues.map((i) => i.message).join("; "));
    create.mutate(parsed.data);
    e.currentTarget.reset();
  }

  return (
    <Section title="API tokens" note="Scripts send one in the Authorization header, as a bearer token. A viewer token reads; an admin token may also edit limits and run burst tests. Only a hash is kept.">
      {problem ? <Banner title="Not done">{problem}</Banner> : null}
      {fresh ? (
        <Banner tone="warning" title="Copy the token now: it is not shown again">
          <code className="mt-1 block select-all break-all rounded bg-white/70 px-2 py-1 font-mono text-xs dark:bg-black/30" data-testid="fresh-token">
            {fresh}
          </code>
        </Banner>
      ) : null}
      {list.data?.tokens.length ? (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-zinc-500 dark:text-zinc-400">
            <tr>
              <th className="py-1 font-medium">Name</th>
              <th className="py-1 font-medium">Starts with</th>
              <th className="py-1 font-medium">Scope</th>
              <th className="py-1 font-medium">Made by</th>
              <th className="py-1 font-medium">Last used</th>
              <th className="py-1" />
            </tr>
          </thead>
          <tbody>
            {list.data.tokens.map((t) => (
              <TokenRow key={t.id} t={t} onRevoke={() => confirm(`Revoke ${t.name}? Scripts using it stop at once.`) && revoke.mutate(t.id)} />
            ))}
          </tbody>
        </table>
      ) : list.data ? (
        <p className="text-sm text-zinc-500">No token yet.</p>
      ) : null}
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3 border-t border-zinc-100 pt-4 dark:border-zinc-800" aria-label="Make an API token">
        <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="block">Name (what uses it)</span>
          <input name="name" required maxLength={100} className={`${INPUT} w-56`} placeholder="ci-burst-test" />
        </label>
        <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span className="block">Scope</span>
          <select name="scope" className={INPUT} defaultValue="viewer">
            <option value="viewer">viewer</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit" className={PRIMARY} disabled={create.isPending}>
          Make token
        </button>
      </form>
    </Section>
  );
}

function TokenRow({ t, onRevoke }: { t: TokenView; onRevoke: () => void }) {
  return (
    <tr className={`border-t border-zinc-100 dark:border-zinc-800 ${t.revokedAt ? "text-zinc-400" : ""}`} data-testid="token-row">
      <td className="py-2">{t.name}</td>
      <td className="py-2 font-mono text-xs">{t.prefix}…</td>
      <td className="py-2">{t.scope}</td>
      <td className="py-2 text-xs">{t.createdBy}</td>
      <td className="py-2 text-xs">{t.lastUsedAt ? ago(t.lastUsedAt) : "never"}</td>
      <td className="py-2 text-right">
        {t.revokedAt ? (
          <span className="text-xs">revoked {ago(t.revokedAt)}</span>
        ) : (
          <button type="button" className={`${BUTTON} text-rose-700 dark:text-rose-300`} onClick={onRevoke}>
            Revoke
          </button>
        )}
      </td>
    </tr>
  );
}
