import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type TestSimulator } from "../../tests/support/simulator";
import { newKey, request } from "./helpers";

const DEMO_ALIASES = ["demo-leaky", "demo-healthy", "demo-unlimited", "demo-throttled"];

/** Every key as /key/list shows it (master key auth, full objects). */
async function listKeys(sim: TestSimulator): Promise<{ token: string; key_alias: string | null; max_parallel_requests: number | null }[]> {
  const r = await request(sim, "GET", "/key/list?size=100&return_full_object=true");
  expect(r.status).toBe(200);
  return r.json.keys;
}

async function demoKeys(sim: TestSimulator): Promise<{ alias: string; key: string; hash: string }[]> {
  return (await request(sim, "GET", "/sim/state", { key: null })).json.demo_keys;
}

describe("--data-dir keeps keys across restarts", () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sim-datadir-"));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("reuses the demo keys by alias, keeps generated and edited keys, and keeps deleted keys deleted", { timeout: 60_000 }, async () => {
    const dir = path.join(tmp, "data", "simulator"); // missing: the simulator creates it
    const args = ["--demo", "--data-dir", dir, "--master-key", "sk-persist-master"];

    const first = await startSimulator(args);
    let before: Awaited<ReturnType<typeof listKeys>>;
    let demoBefore: Awaited<ReturnType<typeof demoKeys>>;
    let kept: { key: string; hash: string };
    let gone: { key: string; hash: string };
    try {
      kept = await newKey(first, { key_alias: "kept", max_parallel_requests: 4, metadata: { owner: "ops" } });
      gone = await newKey(first, { key_alias: "gone" });
      expect((await request(first, "POST", "/key/delete", { body: { keys: [gone.key] } })).status).toBe(200);
      // an edit made between runs survives: the demo reuses its key as stored
      const healthy = (await demoKeys(first)).find((k) => k.alias === "demo-healthy")!;
      expect((await request(first, "POST", "/key/update", { body: { key: healthy.hash, max_parallel_requests: 11 } })).status).toBe(200);
      before = await listKeys(first);
      demoBefore = await demoKeys(first);
    } finally {
      await first.stop();
    }
    expect(fs.readdirSync(dir)).toEqual(["keys.json"]); // no temp file left behind

    const second = await startSimulator(args);
    try {
      const after = await listKeys(second);
      for (const alias of DEMO_ALIASES) {
        const rows = after.filter((k) => k.key_alias === alias);
        expect(rows, alias).toHaveLength(1);
        expect(rows[0].token, alias).toBe(before.find((k) => k.key_alias === alias)!.token);
      }
      expect(await demoKeys(second)).toEqual(demoBefore); // same raw keys too, so the demo traffic keeps its hashes
      expect(after.find((k) => k.key_alias === "demo-healthy")!.max_parallel_requests).toBe(11);
      expect(after.map((k) => k.token).sort()).toEqual(before.map((k) => k.token).sort());
      expect(after.find((k) => k.token === gone.hash)).toBeUndefined();

      const info = await request(second, "GET", `/key/info?key=${kept.hash}`);
      expect(info.json.info).toMatchObject({ key_alias: "kept", max_parallel_requests: 4, metadata: { owner: "ops" } });
      expect(info.json.info).not.toHaveProperty("raw"); // the stored raw key is the simulator's, never served
      // the stored raw key still authenticates; the deleted one does not
      expect((await request(second, "GET", "/v1/models", { key: kept.key })).status).toBe(200);
      expect((await request(second, "GET", "/v1/models", { key: gone.key })).status).toBe(401);
    } finally {
      await second.stop();
    }
  });

  it("refuses to start on a key file it cannot read", async () => {
    const dir = path.join(tmp, "corrupt");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "keys.json"), "{not json");
    await expect(startSimulator(["--data-dir", dir])).rejects.toThrow(/cannot use .*keys\.json/);
  });

  it("writes nothing without --data-dir: a restart forgets every key", async () => {
    const first = await startSimulator([]);
    let hash: string;
    try {
      hash = (await newKey(first, { key_alias: "ephemeral" })).hash;
    } finally {
      await first.stop();
    }
    const second = await startSimulator([]);
    try {
      expect((await listKeys(second)).find((k) => k.token === hash)).toBeUndefined();
    } finally {
      await second.stop();
    }
  });
});
