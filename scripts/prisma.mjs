// `npm run db:deploy` / `npm run db:generate`: the Prisma CLI, offline-safe.
import { runPrisma } from "./lib/prisma.mjs";

try {
  runPrisma(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
