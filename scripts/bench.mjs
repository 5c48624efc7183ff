// `npm run bench [-- --quick] [-- --only=a,b]`: install what is missing (node modules, redis-server),
// then run every bench suite (bench/main.ts), which prints each figure against its baseline and
// writes bench-results.json.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ensureNodeModules, ensurePostgres, ensurePrismaClient, ensureRedisServer, nodeVersionOk } from "./lib/bootstrap.mjs";
import { repoRoot } from "./lib/paths.mjs";

try {
  nodeVersionOk();
  ensureNodeModules();
  ensureRedisServer();
  ensurePostgres();
  await ensurePrismaClient();
} catch (e) {
  console.error(`[setup] ${e.message}`);
  process.exit(1);
}
const res = spawnSync(path.join(repoRoot, "node_modules", ".bin", "tsx"), ["bench/main.ts", ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: "inherit",
});
process.exit(res.status ?? 1);
