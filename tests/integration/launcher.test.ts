// `npm start` checks every setting before it installs, builds, migrates or starts anything.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { freePort } from "../support/ports";

const ROOT = path.resolve(__dirname, "..", "..");

it("a bad setting stops npm start with a non-zero exit and one line naming it, before anything starts", async () => {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inflight-start-")), "data");
  const port = await freePort();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["scripts/start.mjs", "--no-build"], {
      cwd: ROOT,
      env: { ...process.env, CATALOG_SYNC_INTERVAL_S: "2", DATA_DIR: dataDir, PORT: String(port), LITELLM_URL: "", REDIS_URL: "", INFLIGHT_DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (c) => resolve({ code: c, stdout, stderr }));
  });
  expect(code).not.toBe(0);
  const problems = stderr.split("\n").filter((l) => l.includes("CATALOG_SYNC_INTERVAL_S"));
  expect(problems).toEqual([expect.stringMatching(/CATALOG_SYNC_INTERVAL_S: CATALOG_SYNC_INTERVAL_S must be at least 5/)]);
  expect(stdout).not.toMatch(/Inflight is up/);
  // Nothing was started or written: no store, no Redis files.
  expect(fs.existsSync(dataDir)).toBe(false);
});
