// The account and audit repositories, and better-auth over the store's own connection, on both
// stores: the same behaviour from SQLite and Postgres.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findToken, issueToken, registerToken } from "../../lib/accounts/api-tokens";
import { countAdmins, createAccount, listAccounts, removeAccount, updateAccount } from "../../lib/accounts/accounts";
import { createAuth, type Auth } from "../../lib/accounts/auth";
import type { AuditEntry } from "../../lib/audit/repository";
import { settleAbandonedEdits } from "../../lib/limits/settle-pending";
import { createTestStore, DIALECTS, type TestStore } from "../support/store";

const BASE = "http://inflight.test";

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  atMs: 1_000,
  actorKind: "user",
  actorId: "u1",
  actorLabel: "ops@example.com",
  action: "key.limits",
  keyHash: "a".repeat(64),
  keyAlias: "a",
  teamId: "team-a",
  before: { max_parallel_requests: 4 },
  after: { max_parallel_requests: 7 },
  reason: null,
  outcome: "applied",
  message: null,
  ...over,
});

describe.each(DIALECTS)("accounts and audit on %s", (dialect) => {
  let t: TestStore;
  let auth: Auth;

  beforeAll(async () => {
    t = await createTestStore(dialect);
    auth = createAuth(t.store, { baseURL: BASE, secret: "a-test-secret-that-is-long-enough-0123456789", oidc: null });
  }, 60_000);
  afterAll(() => t?.close());

  it("API tokens: stored hashed, found by the token, revoked for good; an env token registers once", async () => {
    const { token, row } = await issueToken(t.store.tokens, { name: "ci", scope: "admin", createdBy: "ops@example.com" });
    expect(token).toMatch(/^ift_[A-Za-z0-9_-]{43}$/);
    expect(row).toMatchObject({ name: "ci", scope: "admin", prefix: token.slice(0, 10), lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(await t.store.tokens.list())).not.toContain(token);
    expect((await findToken(t.store.tokens, token))?.lastUsedAt).toBeInstanceOf(Date);
    expect(await findToken(t.store.tokens, `${token}x`)).toBeNull();
    expect(await t.store.tokens.revoke(row.id, new Date())).toBe(true);
    expect(await t.store.tokens.revoke(row.id, new Date())).toBe(false);
    expect(await findToken(t.store.tokens, token)).toBeNull();
    await registerToken(t.store.tokens, "ift_from-the-environment-0123456789", { name: "INFLIGHT_API_TOKEN", scope: "viewer" });
    await registerToken(t.store.tokens, "ift_from-the-environment-0123456789", { name: "INFLIGHT_API_TOKEN", scope: "viewer" });
    expect((await t.store.tokens.list()).filter((x) => x.name === "INFLIGHT_API_TOKEN")).toHaveLength(1);
    expect((await findToken(t.store.tokens, "ift_from-the-environment-0123456789"))?.scope).toBe("viewer");
  });

  it("instance settings: the first writer's value stays", async () => {
    expect(await t.store.settings.get("auth_secret")).toBeNull();
    expect(await t.store.settings.claim("auth_secret", "first")).toBe("first");
    expect(await t.store.settings.claim("auth_secret", "second")).toBe("first");
  });

  it("audit: newest first, filtered by key, actor, outcome, time and teams; pending entries settled", async () => {
    await t.store.audit.append(entry({ atMs: 1_000 }));
    await t.store.audit.append(entry({ atMs: 2_000, actorLabel: "token ci", actorKind: "token", teamId: "team-b", keyHash: "b".repeat(64) }));
    await t.store.audit.append(entry({ atMs: 3_000, outcome: "refused", message: "rpm_limit is over max limit" }));
    const pending = await t.store.audit.append(entry({ atMs: 4_000, outcome: "pending" }));
    const all = await t.store.audit.list({ limit: 10 });
    expect(all.map((e) => e.atMs)).toEqual([4_000, 3_000, 2_000, 1_000]);
    expect(all[3]).toMatchObject({ before: { max_parallel_requests: 4 }, after: { max_parallel_requests: 7 }, actorId: "u1" });
    expect((await t.store.audit.list({ limit: 10, keyHash: "b".repeat(64) })).map((e) => e.atMs)).toEqual([2_000]);
    expect((await t.store.audit.list({ limit: 10, actor: "CI" })).map((e) => e.atMs)).toEqual([2_000]);
    expect((await t.store.audit.list({ limit: 10, outcome: "refused" })).map((e) => e.message)).toEqual(["rpm_limit is over max limit"]);
    expect((await t.store.audit.list({ limit: 10, fromMs: 2_000, toMs: 4_000 })).map((e) => e.atMs)).toEqual([3_000, 2_000]);
    expect((await t.store.audit.list({ limit: 10, teams: ["team-b"] })).map((e) => e.atMs)).toEqual([2_000]);
    expect(await t.store.audit.list({ limit: 10, teams: [] })).toEqual([]);
    expect((await t.store.audit.list({ limit: 2, beforeId: all[1].id })).map((e) => e.atMs)).toEqual([2_000, 1_000]);
    expect(await settleAbandonedEdits(t.store.audit, 4_000 + 5 * 60_000)).toBe(0); // not stale yet
    expect(await settleAbandonedEdits(t.store.audit, 4_000 + 11 * 60_000)).toBe(1);
    const [settled] = await t.store.audit.list({ limit: 1 });
    expect(settled).toMatchObject({ id: pending.id, outcome: "unconfirmed", after: { max_parallel_requests: 7 } });
  });

  it("an edit made through Inflight: the key's limits and a limit step from then, so a sync sees nothing new", async () => {
    const hash = "c".repeat(64);
    const key = { token: hash, key_alias: "c", key_name: null, team_id: null, user_id: null, max_parallel_requests: 4, rpm_limit: 100, tpm_limit: null, blocked: false, metadata: {}, spend: 0, models: [] };
    await t.store.catalog.apply({ upserts: [key], limitChanges: [{ hash, limits: { maxParallelRequests: 4, rpmLimit: 100, tpmLimit: null } }], removed: [] }, 1_000);
    await t.store.catalog.recordLimitChange(hash, { maxParallelRequests: 7, rpmLimit: null, tpmLimit: null }, 5_000, "inflight");
    const ref = (await t.store.catalog.keyByHash(hash))!;
    expect(ref).toMatchObject({ maxParallelRequests: 7, rpmLimit: null });
    expect(await t.store.catalog.limitChanges([ref.id], 10_000)).toEqual([
      { keyId: ref.id, fromMs: 1_000, maxParallelRequests: 4, rpmLimit: 100, tpmLimit: null, source: "proxy" },
      { keyId: ref.id, fromMs: 5_000, maxParallelRequests: 7, rpmLimit: null, tpmLimit: null, source: "inflight" },
    ]);
    expect((await t.store.catalog.storedKeys()).find((k) => k.hash === hash)?.lastRecorded).toEqual({ maxParallelRequests: 7, rpmLimit: null, tpmLimit: null });
    await expect(t.store.catalog.recordLimitChange("d".repeat(64), { maxParallelRequests: 1, rpmLimit: null, tpmLimit: null }, 6_000, "inflight")).rejects.toThrow();
  });

  it("better-auth runs on the store's connection: accounts, password sign-in, sessions, the last admin kept", async () => {
    expect(await countAdmins(auth)).toBe(0);
    const admin = await createAccount(auth, { email: "Admin@Example.com", password: "admin-password-123", role: "admin", teams: null });
    const viewer = await createAccount(auth, { email: "viewer@example.com", role: "viewer", teams: ["team-b", "team-a", "team-a"] });
    expect(admin).toMatchObject({ email: "admin@example.com", role: "admin", teams: null, signIn: ["password"] });
    expect(viewer).toMatchObject({ role: "viewer", teams: ["team-a", "team-b"], signIn: [] });
    await expect(createAccount(auth, { email: "admin@example.com", role: "viewer", teams: null })).rejects.toThrow(/exists already/);

    const res = await auth.handler(
      new Request(`${BASE}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: BASE },
        body: JSON.stringify({ email: "admin@example.com", password: "admin-password-123" }),
      }),
    );
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user).toMatchObject({ email: "admin@example.com", role: "admin" });

    await expect(updateAccount(auth, admin.id, { role: "viewer", teams: null })).rejects.toThrow(/only admin/);
    await expect(removeAccount(auth, admin.id)).rejects.toThrow(/only admin/);
    await updateAccount(auth, viewer.id, { role: "admin", teams: ["ignored"] });
    expect((await listAccounts(auth)).find((a) => a.id === viewer.id)).toMatchObject({ role: "admin", teams: null });
    await removeAccount(auth, viewer.id);
    expect((await listAccounts(auth)).map((a) => a.email)).toEqual(["admin@example.com"]);
  });
});
