-- CreateTable
CREATE TABLE "key" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hash" TEXT NOT NULL,
    "alias" TEXT,
    "team_id" TEXT,
    "max_parallel_requests" INTEGER,
    "rpm_limit" BIGINT,
    "tpm_limit" BIGINT,
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "in_catalog" BOOLEAN NOT NULL DEFAULT true,
    "first_seen_at" DATETIME NOT NULL,
    "last_synced_at" DATETIME
);

-- CreateTable
CREATE TABLE "key_limit_change" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key_id" INTEGER NOT NULL,
    "effective_from_ms" BIGINT NOT NULL,
    "max_parallel_requests" INTEGER,
    "rpm_limit" BIGINT,
    "tpm_limit" BIGINT,
    "source" TEXT NOT NULL,
    CONSTRAINT "key_limit_change_key_id_fkey" FOREIGN KEY ("key_id") REFERENCES "key" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "request" (
    "key_id" INTEGER NOT NULL,
    "start_ms" BIGINT NOT NULL,
    "request_id" TEXT NOT NULL,
    "end_ms" BIGINT NOT NULL,
    "status" TEXT,
    "rejected" BOOLEAN NOT NULL,
    "model" TEXT NOT NULL,

    PRIMARY KEY ("key_id", "start_ms", "request_id")
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "series_1s" (
    "key_id" INTEGER NOT NULL,
    "sec" BIGINT NOT NULL,
    "max_in_flight" INTEGER NOT NULL,
    "admitted" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,

    PRIMARY KEY ("key_id", "sec")
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "series_1m" (
    "key_id" INTEGER NOT NULL,
    "minute" BIGINT NOT NULL,
    "max_in_flight" INTEGER NOT NULL,
    "admitted" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,

    PRIMARY KEY ("key_id", "minute")
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "series_dirty" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key_id" INTEGER NOT NULL,
    "from_ms" BIGINT NOT NULL,
    "to_ms" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "limiter_sample" (
    "key_id" INTEGER NOT NULL,
    "at_ms" BIGINT NOT NULL,
    "era" TEXT NOT NULL,
    "believed_in_flight" INTEGER,
    "raw_counter" REAL,
    "window_start_s" BIGINT,
    "requests" REAL,
    "tokens" REAL,

    PRIMARY KEY ("key_id", "at_ms")
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "ingest_cursor" (
    "source" TEXT NOT NULL PRIMARY KEY,
    "complete_before_ms" BIGINT NOT NULL,
    "end_watermark_ms" BIGINT NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "runner_job" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT,
    "last_run_at" DATETIME,
    "last_ok_at" DATETIME,
    "last_error" TEXT,
    "failing_since" DATETIME,
    "stats" TEXT NOT NULL DEFAULT '{}'
);

-- CreateIndex
CREATE UNIQUE INDEX "key_hash_key" ON "key"("hash");

-- CreateIndex
CREATE INDEX "key_limit_change_key_id_effective_from_ms_idx" ON "key_limit_change"("key_id", "effective_from_ms");
