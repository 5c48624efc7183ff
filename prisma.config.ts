import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// Prisma's native schema engine cannot be downloaded here, so migrations run on the wasm ("js")
// engine through the same driver adapter the app uses (see ../shared/toolchain.md §3c).
const url = process.env.DATABASE_URL ?? "file:./data/inflight.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
