import { execFileSync } from "node:child_process";
import path from "node:path";

// Where the shared e2e stack (playwright.config.ts's webServer) listens and keeps its files: read by
// the config to start it and by specs that need to find it again. `npm test` picks free ports and a
// throwaway data folder and passes them in.

export const ROOT = path.resolve(__dirname, "..", "..");
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_SIMULATOR_PORT = Number(process.env.E2E_SIMULATOR_PORT ?? 4100);
export const E2E_DATA_DIR = path.resolve(process.env.E2E_DATA_DIR ?? path.join(ROOT, "data", "e2e"));

/** Where screenshots go (inside Playwright's outputDir, which each run empties first). */
export const SCREENS_DIR = path.join(ROOT, "test-results", "screens");

/** The signed-in admin's browser state, written by e2e/global-setup.ts. */
export const STORAGE_STATE = path.join(E2E_DATA_DIR, "admin-browser-state.json");

/**
 * A free loopback port picked once, in the Playwright runner, and handed to its workers through
 * the environment they inherit (a config is evaluated in each process: a port drawn in each would
 * differ). The stack must know its receivers' URLs before it starts, before any spec runs.
 */
function sharedPort(name: string): number {
  process.env[name] ??= execFileSync(
    process.execPath,
    ["-e", "const s = require('net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); })"],
    { encoding: "utf8" },
  );
  return Number(process.env[name]);
}

/** Where the stack's environment Slack channel posts: a receiver e2e/global-setup.ts keeps up for the whole run. */
export const E2E_SLACK_RECEIVER_PORT = sharedPort("E2E_SLACK_RECEIVER_PORT");
export const E2E_SLACK_PATH = "/services/T0E2E/B0E2E/e2e-slack-webhook-token";

/** The shared stack's alerting: loopback targets allowed (the specs' receivers), a Slack channel from the environment, and an environment name. */
export const alertEnv = () => ({
  ALERT_ALLOWED_HOSTS: "127.0.0.1",
  ALERT_SLACK_WEBHOOK_URL: `http://127.0.0.1:${E2E_SLACK_RECEIVER_PORT}${E2E_SLACK_PATH}`,
  INFLIGHT_ENVIRONMENT: "e2e",
});
