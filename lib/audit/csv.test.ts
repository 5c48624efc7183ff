import { describe, expect, it } from "vitest";
import { auditCsv } from "./csv";

describe("audit CSV", () => {
  it("quotes per RFC 4180 and defuses cells a spreadsheet would run as formulas", () => {
    const csv = auditCsv([
      {
        id: 7,
        atMs: Date.UTC(2026, 11, 3, 10, 0, 0),
        actorKind: "user",
        actorId: "u",
        actorLabel: "=HYPERLINK(\"http://evil\")",
        action: "key.limits",
        keyHash: "a".repeat(64),
        keyAlias: "payments, eu",
        teamId: null,
        before: { max_parallel_requests: 4 },
        after: { max_parallel_requests: null },
        reason: "line one\nline two",
        outcome: "applied",
        message: null,
      },
    ]);
    const [header, row] = csv.split("\r\n");
    expect(header).toBe("id,time_utc,actor_kind,actor,action,key_hash,key_alias,team_id,before,after,reason,outcome,message");
    expect(csv).toContain(`7,2026-12-03T10:00:00.000Z,user,"'=HYPERLINK(""http://evil"")",key.limits,${"a".repeat(64)},"payments, eu",,"{""max_parallel_requests"":4}","{""max_parallel_requests"":null}","line one\nline two",applied,`);
    expect(row.startsWith("7,")).toBe(true);
  });
});
