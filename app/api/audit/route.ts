import { AuditQuerySchema } from "@/lib/api/audit";
import { auditCsv } from "@/lib/audit/csv";
import { withAccess } from "../_lib/handle";
import { queryObject } from "../_lib/query";

/**
 * The audit trail, newest first, filtered; a team-limited viewer sees only entries about its
 * teams' keys. `format=csv` downloads the same rows.
 */
export const GET = withAccess("viewer", async (req, { app, principal }) => {
  const q = AuditQuerySchema.parse(queryObject(req));
  const rows = await app.store.audit.list({
    keyHash: q.key,
    actor: q.actor,
    outcome: q.outcome,
    fromMs: q.from,
    toMs: q.to,
    beforeId: q.before,
    teams: principal.teams,
    limit: q.limit,
  });
  if (q.format === "csv") {
    return new Response(auditCsv(rows), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="inflight-audit.csv"', "cache-control": "no-store" },
    });
  }
  return { rows: rows.map(({ actorId: _actorId, ...r }) => r) };
});
