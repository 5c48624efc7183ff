import { configDefaults, defineConfig } from "vitest/config";

const ALL = ["lib/**/*.test.ts", "simulator/**/*.test.ts", "tests/**/*.test.ts", "components/**/*.test.tsx"];

/**
 * Files that load the machine or whose assertions depend on timing: they run one at a time, after
 * the rest. On a 2-core machine a load test beside others starves them, and a timing-bound test
 * beside a load test flakes.
 */
const SERIAL = [
  // Real processes (runners, npm start, simulators, redis-server) and traffic, for seconds to minutes.
  "tests/integration/**/*.test.ts",
  // 200 concurrent clients; an exact peak of 5 that the traffic must reach.
  "simulator/test/gauge.test.ts",
  // 200 clients for 8 s against a 2 s window; keys whose TTLs and values move with that window.
  "simulator/test/windowed.test.ts",
  // 200 clients on three simulators; peaks that must come within 2 of the bound.
  "simulator/test/workers.test.ts",
  // Minute boundaries of the legacy limiter; 50 clients; an exact peak.
  "simulator/test/legacy.test.ts",
  // Rows held for 2 s after their end: the counts read in between assume no stall that long.
  "simulator/test/spend-log-delay.test.ts",
  // Asserts that a commit takes under 2 s (an upper bound on a duration, owned by the store tests).
  "tests/store/postgres-partitions.test.ts",
];

// The run's one PostgreSQL (tests/support/postgres.ts shares it between the two projects).
const globalSetup = ["tests/support/postgres.ts"];

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default"],
    // `npm test` runs every file once: each is in exactly one project. `npx vitest run <file>` runs it
    // in its project, as `npm test` would.
    projects: [
      {
        extends: true,
        test: { name: "parallel", include: ALL, exclude: [...configDefaults.exclude, ...SERIAL], globalSetup, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // After the parallel project has finished (groupOrder), one file at a time.
        test: { name: "serial", include: SERIAL, globalSetup, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
