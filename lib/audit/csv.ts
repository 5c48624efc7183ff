import type { StoredAuditEntry } from "./repository";

const COLUMNS = ["id", "time_utc", "actor_kind", "actor", "action", "key_hash", "key_alias", "team_id", "before", "after", "reason", "outcome", "message"];

/** RFC 4180 quoting; a leading =, +, - or @ is defused so a spreadsheet never runs a cell as a formula. */
function cell(v: unknown): string {
  let s = v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function auditCsv(rows: StoredAuditEntry[]): string {
  const lines = rows.map((r) =>
    [r.id, new Date(r.atMs).toISOString(), r.actorKind, r.actorLabel, r.action, r.keyHash, r.keyAlias, r.teamId, r.before, r.after, r.reason, r.outcome, r.message]
      .map(cell)
      .join(","),
  );
  return [COLUMNS.join(","), ...lines].join("\r\n") + "\r\n";
}
