/**
 * `--data-dir DIR`: the key table in DIR/keys.json, as a real proxy keeps LiteLLM_VerificationToken in its database.
 * Only keys are kept: spend logs and limiter state start empty on every run (see README).
 */
import fs from "node:fs";
import path from "node:path";
import type { KeyRow } from "./keys";

const VERSION = 1;

export function keysFile(dir: string): string {
  return path.join(dir, "keys.json");
}

/** The stored rows, or none when DIR holds no key file yet. Throws when the file cannot be read back. */
export function loadKeys(dir: string): KeyRow[] {
  let text: string;
  try {
    text = fs.readFileSync(keysFile(dir), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const data = JSON.parse(text) as { version?: unknown; keys?: unknown };
  if (data?.version !== VERSION || !Array.isArray(data.keys)) throw new Error(`not a version ${VERSION} simulator key file`);
  return data.keys as KeyRow[];
}

/**
 * Writes the rows to a temp file, then renames it over keys.json, so a reader or a crash never sees half a file.
 * Creates DIR when missing; the file is private to the user because it holds raw keys.
 */
export function saveKeys(dir: string, rows: KeyRow[]): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = keysFile(dir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ version: VERSION, keys: rows }), { mode: 0o600, flush: true });
  fs.renameSync(tmp, file);
}
