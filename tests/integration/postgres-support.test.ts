// The shared test PostgreSQL (tests/support/postgres.ts): databases made from it are real,
// independent of each other, and gone once dropped.
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { createTestPgDatabase, testPostgresUrl, type TestPgDatabase } from "../support/postgres";

const made: TestPgDatabase[] = [];
afterAll(() => Promise.all(made.map((d) => d.drop())));

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const databases = async () =>
  withClient(await testPostgresUrl(), async (c) => (await c.query<{ datname: string }>("SELECT datname FROM pg_database")).rows.map((r) => r.datname));

it("gives each caller its own database on the shared cluster", async () => {
  const [a, b] = await Promise.all([createTestPgDatabase(), createTestPgDatabase()]);
  made.push(a, b);
  expect(a.url).not.toBe(b.url);
  expect(new URL(a.url).port).toBe(new URL(await testPostgresUrl()).port);

  await withClient(a.url, async (c) => {
    await c.query("CREATE TABLE t (v int)");
    await c.query("INSERT INTO t VALUES (42)");
    expect((await c.query("SELECT v FROM t")).rows).toEqual([{ v: 42 }]);
  });
  await withClient(b.url, async (c) => {
    expect((await c.query("SELECT to_regclass('t') AS t")).rows).toEqual([{ t: null }]);
  });
});

it("drop() removes the database, even with a connection still open to it", async () => {
  const d = await createTestPgDatabase("dropme");
  const name = new URL(d.url).pathname.slice(1);
  expect(name).toMatch(/^dropme_[0-9a-f]{12}$/);
  expect(await databases()).toContain(name);

  const leftOpen = new pg.Client({ connectionString: d.url });
  leftOpen.on("error", () => {}); // it is terminated by the drop
  await leftOpen.connect();
  await d.drop();
  expect(await databases()).not.toContain(name);
  await leftOpen.end().catch(() => {});
});
