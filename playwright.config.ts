import { defineConfig, devices } from "@playwright/test";
import { adminEnv } from "./e2e/support/sign-in";
import { alertEnv, E2E_DATA_DIR as DATA_DIR, E2E_PORT as PORT, E2E_SIMULATOR_PORT as SIMULATOR_PORT, STORAGE_STATE } from "./e2e/support/stack-env";

export default defineConfig({
  testDir: "./e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  workers: 1,
  reporter: [["list"]],
  outputDir: "test-results",
  globalSetup: "./e2e/global-setup.ts",
  use: { baseURL: `http://127.0.0.1:${PORT}`, storageState: STORAGE_STATE, trace: "off", screenshot: "only-on-failure", viewport: { width: 1440, height: 900 } },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        },
      },
    },
  ],
  // The real `npm start` path: private Redis, the simulator with demo traffic, migrations, next start.
  webServer: {
    command: "node scripts/start.mjs --no-build",
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      SIMULATOR_PORT: String(SIMULATOR_PORT),
      DATA_DIR,
      LITELLM_URL: "",
      LITELLM_MASTER_KEY: "",
      REDIS_URL: "",
      INFLIGHT_DATABASE_URL: "",
      INFLIGHT_REDIS_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
      ...adminEnv(),
      ...alertEnv(),
    },
  },
});
