-- CreateTable
CREATE TABLE "alert_rule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "detector" TEXT NOT NULL,
    "scope_kind" TEXT NOT NULL,
    "scope_value" TEXT,
    "params" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "created_at_ms" BIGINT NOT NULL,
    "updated_at_ms" BIGINT NOT NULL,

    CONSTRAINT "alert_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_channel" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "team_id" TEXT,
    "source" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "paused_at_ms" BIGINT,
    "last_error" TEXT,
    "created_at_ms" BIGINT NOT NULL,
    "updated_at_ms" BIGINT NOT NULL,

    CONSTRAINT "alert_channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert" (
    "id" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "key_id" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "open_key" TEXT,
    "announced" TEXT,
    "started_sec" BIGINT NOT NULL,
    "last_active_sec" BIGINT NOT NULL,
    "peak" INTEGER,
    "limit_value" INTEGER,
    "evidence" TEXT NOT NULL,
    "episodes" INTEGER NOT NULL DEFAULT 1,
    "last_notified_at_ms" BIGINT,
    "resolved_at_ms" BIGINT,
    "created_at_ms" BIGINT NOT NULL,
    "updated_at_ms" BIGINT NOT NULL,

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_notification" (
    "id" TEXT NOT NULL,
    "alert_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_ms" BIGINT NOT NULL,
    "claimed_until" BIGINT,
    "last_error" TEXT,
    "created_at_ms" BIGINT NOT NULL,
    "sent_at_ms" BIGINT,

    CONSTRAINT "alert_notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_delivery_attempt" (
    "id" SERIAL NOT NULL,
    "notification_id" TEXT NOT NULL,
    "at_ms" BIGINT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "http_status" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "error" TEXT,

    CONSTRAINT "alert_delivery_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_silence" (
    "id" TEXT NOT NULL,
    "rule_id" TEXT,
    "key_hash" TEXT,
    "team_id" TEXT,
    "ends_at_ms" BIGINT NOT NULL,
    "comment" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at_ms" BIGINT NOT NULL,

    CONSTRAINT "alert_silence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_feed_item" (
    "id" SERIAL NOT NULL,
    "alert_id" TEXT NOT NULL,
    "team_id" TEXT,
    "payload" TEXT NOT NULL,
    "created_at_ms" BIGINT NOT NULL,

    CONSTRAINT "alert_feed_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_feed_read" (
    "user_id" TEXT NOT NULL,
    "read_to_id" INTEGER NOT NULL,

    CONSTRAINT "alert_feed_read_pkey" PRIMARY KEY ("user_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alert_open_key_key" ON "alert"("open_key");

-- CreateIndex
CREATE INDEX "alert_key_id_started_sec_idx" ON "alert"("key_id", "started_sec");

-- CreateIndex
CREATE INDEX "alert_state_idx" ON "alert"("state");

-- CreateIndex
CREATE INDEX "alert_created_at_ms_idx" ON "alert"("created_at_ms");

-- CreateIndex
CREATE INDEX "alert_notification_status_next_attempt_ms_idx" ON "alert_notification"("status", "next_attempt_ms");

-- CreateIndex
CREATE INDEX "alert_notification_alert_id_idx" ON "alert_notification"("alert_id");

-- CreateIndex
CREATE INDEX "alert_notification_channel_id_created_at_ms_idx" ON "alert_notification"("channel_id", "created_at_ms");

-- CreateIndex
CREATE INDEX "alert_delivery_attempt_notification_id_idx" ON "alert_delivery_attempt"("notification_id");

-- CreateIndex
CREATE INDEX "alert_silence_ends_at_ms_idx" ON "alert_silence"("ends_at_ms");

-- CreateIndex
CREATE INDEX "alert_feed_item_created_at_ms_idx" ON "alert_feed_item"("created_at_ms");

