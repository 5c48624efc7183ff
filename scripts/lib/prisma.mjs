// Runs the Prisma CLI the offline way (../shared/toolchain.md §3c): wasm schema engine through the
// driver adapter configured in prisma.config.ts, long timers unref'd so the CLI exits when done.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.mjs";

export function runPrisma(args, { databaseUrl, quiet = false } = {}) {
  const url = databaseUrl ?? process.env.DATABASE_URL ?? `file:${path.join(repoRoot, "data", "inflight.db")}`;
  const file = url.replace(/^file:/, "");
  fs.mkdirSync(path.dirname(path.resolve(repoRoot, file)), { recursive: true });
  const res = spawnSync(
    process.execPath,
    ["-r", path.join(repoRoot, "scripts", "unref-timers.cjs"), path.join(repoRoot, "node_modules", "prisma", "build", "index.js"), ...args],
    {
      cwd: repoRoot,
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    },
  );
  if (res.status !== 0) {
    const detail = quiet ? `\n${res.stdout ?? ""}${res.stderr ?? ""}` : "";
    throw new Error(`prisma ${args.join(" ")} failed (exit ${res.status})${detail}`);
  }
  return res.stdout ?? "";
}
