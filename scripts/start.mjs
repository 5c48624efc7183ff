// `npm start`: Node and node modules first (the rest is TypeScript), then the stack, which checks
// every setting before it builds, migrates or starts anything (scripts/stack.ts).
import { spawn } from "node:child_process";
import path from "node:path";
import { ensureNodeModules, nodeVersionOk } from "./lib/bootstrap.mjs";
import { repoRoot } from "./lib/paths.mjs";

try {
  nodeVersionOk();
  ensureNodeModules();
} catch (e) {
  console.error(`[setup] ${e.message}`);
  process.exit(1);
}

const child = spawn(path.join(repoRoot, "node_modules", ".bin", "tsx"), [path.join(repoRoot, "scripts", "stack.ts"), ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
