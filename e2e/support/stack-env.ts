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
