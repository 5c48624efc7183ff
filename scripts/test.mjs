// `npm test`: install what is missing (node modules, redis-server, chromium), then run every test:
// vitest (unit and integration, real redis-server and SQLite) and Playwright (real app, real chromium).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import {
  chromiumPath,
  ensureBuild,
  ensureChromium,
  ensureNodeModules,
  ensurePostgres,
  ensurePrismaClient,
  ensureRedisServer,
  nodeVersionOk,
} from "./lib/bootstrap.mjs";
import { repoRoot } from "./lib/paths.mjs";

const args = process.argv.slice(2);
const only = args.includes("--unit") ? "unit" : args.includes("--e2e") ? "e2e" : "all";
const passThrough = args.filter((a) => a !== "--unit" && a !== "--e2e");

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function step(name, cmd, cmdArgs, env = {}) {
  console.log(`\n=== ${name}`);
  const res = spawnSync(cmd, cmdArgs, { cwd: repoRoot, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  if (res.error) console.error(`${name}: ${res.error.message}`);
  return res.status === 0;
}

try {
  nodeVersionOk();
  ensureNodeModules();
  ensureRedisServer();
  ensurePostgres();
  if (only !== "unit") ensureChromium();
  await ensurePrismaClient();
} catch (e) {
  console.error(`[setup] ${e.message}`);
  process.exit(1);
}

// The build comes first: the integration tests start `npm start` itself, as the e2e tests do.
try {
  ensureBuild();
} catch (e) {
  console.error(e.message);
  console.log("\n=== summary\nFAIL  next build");
  process.exit(1);
}

const bin = (name) => path.join(repoRoot, "node_modules", ".bin", name);
const results = [];
if (only !== "e2e") results.push(["vitest", step("unit and integration tests (vitest)", bin("vitest"), ["run", ...passThrough])]);
// The LiteLLM callback (Python) runs on Debian's interpreter with python3-redis and python3-pytest.
if (only !== "e2e") {
  const python = "/usr/bin/python3";
  const probe = spawnSync(python, ["-c", "import redis, pytest"], { stdio: "ignore" });
  let ok = false;
  if (probe.error || probe.status !== 0) {
    console.error(`\n=== LiteLLM callback tests (pytest)\n${python} lacks python3-redis or python3-pytest: sudo apt-get install -y python3-redis python3-pytest (.ci/run installs them)`);
  } else {
    ok = step("LiteLLM callback tests (pytest)", python, ["-m", "pytest", "integrations/litellm/tests", "-q"], { PYTHONDONTWRITEBYTECODE: "1" });
  }
  results.push(["pytest (integrations/litellm)", ok]);
}
if (only !== "unit") {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "inflight-e2e-"));
  const ok = step("end-to-end tests (Playwright, chromium)", bin("playwright"), ["test", ...(only === "e2e" ? passThrough : [])], {
    E2E_PORT: String(await freePort()),
    E2E_SIMULATOR_PORT: String(await freePort()),
    E2E_DATA_DIR: dataDir,
    CHROMIUM_PATH: chromiumPath(),
  });
  fs.rmSync(dataDir, { recursive: true, force: true });
  results.push(["playwright", ok]);
}

console.log("\n=== summary");
for (const [name, ok] of results) console.log(`${ok ? "PASS" : "FAIL"}  ${name}`);
process.exit(results.every(([, ok]) => ok) ? 0 : 1);
