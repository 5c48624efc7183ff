-- CreateTable
CREATE TABLE "burst_run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key_hash" TEXT NOT NULL,
    "key_alias" TEXT,
    "team_id" TEXT,
    "actor_label" TEXT NOT NULL,
    "audit_id" INTEGER,
    "state" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "plan" TEXT NOT NULL,
    "started_ms" BIGINT NOT NULL,
    "heartbeat_ms" BIGINT NOT NULL,
    "ended_ms" BIGINT,
    "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
    "progress" TEXT,
    "verdict" TEXT,
    "report" TEXT,
    "message" TEXT,
    "twin_hash" TEXT,
    "restore" TEXT
);

-- CreateIndex
CREATE INDEX "burst_run_key_hash_started_ms_idx" ON "burst_run"("key_hash", "started_ms");

-- CreateIndex
CREATE INDEX "burst_run_state_idx" ON "burst_run"("state");

