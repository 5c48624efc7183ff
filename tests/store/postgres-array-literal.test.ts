// The array literals the Postgres ingest binds read back, element for element, as what was sent.
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { boolArrayLiteral, intArrayLiteral, textArrayLiteral } from "../../lib/store/postgres/array-literal";
import { createTestPgDatabase, type TestPgDatabase } from "../support/postgres";

let db: TestPgDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await createTestPgDatabase("arrays");
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await db.drop();
});

it("text, integer and boolean arrays round-trip through Postgres", async () => {
  const texts = ["plain", 'a "quoted" word', "back\\slash", "end\\", "{braces},[]", "comma, space", "NULL", "", " lead", "ü € 😀", "new\nline", null];
  const ints = [0, -1, 42, 1_764_547_200_123, Number.MAX_SAFE_INTEGER];
  const bools = [true, false, true];
  const { rows } = await client.query("SELECT $1::text[] AS t, $2::bigint[]::text[] AS i, $3::bool[] AS b, $4::text[] AS e", [
    textArrayLiteral(texts),
    intArrayLiteral(ints),
    boolArrayLiteral(bools),
    textArrayLiteral([]),
  ]);
  expect(rows[0].t).toEqual(texts);
  expect(rows[0].i).toEqual(ints.map(String));
  expect(rows[0].b).toEqual(bools);
  expect(rows[0].e).toEqual([]);
});
