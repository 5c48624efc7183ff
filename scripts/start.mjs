// `npm start`: install what is missing, prepare the store and the build, then run the stack.
import { spawn } from "node:child_process";
import path from "node:path";
import { ensureBuild, ensureNodeModules, ensurePrismaClient, ensureRedisServer, nodeVersionOk } from "./lib/bootstrap.mjs";
import { repoRoot } from "./lib/paths.mjs";

try {
  nodeVersionOk();
  ensureNodeModules();
  if (!process.env.REDIS_URL) ensureRedisServer();
  await ensurePrismaClient();
  if (!process.argv.includes("--no-build")) ensureBuild();
} catch (e) {
  console.error(`[setup] ${e.message}`);
  process.exit(1);
}

// The stack runs in TypeScript (it validates the environment with the app's own zod schema).
const child = spawn(path.join(repoRoot, "node_modules", ".bin", "tsx"), [path.join(repoRoot, "scripts", "stack.ts")], {
  cwd: repoRoot,
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
