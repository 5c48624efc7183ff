import type { Dialect } from "./store";

/** Which store a URL names: `file:` is SQLite, `postgres://` or `postgresql://` is Postgres. */
export function dialectOf(databaseUrl: string): Dialect {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgres";
  throw new Error("INFLIGHT_DATABASE_URL must start with file: (SQLite) or postgresql:// (Postgres)");
}

/** The URL with its password replaced, fit for logs and pages. */
export function redactUrl(databaseUrl: string): string {
  if (dialectOf(databaseUrl) === "sqlite") return databaseUrl;
  try {
    const u = new URL(databaseUrl);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgresql://(unparsable URL)";
  }
}
