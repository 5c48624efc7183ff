-- Inflight's store on Postgres, generated from prisma/schema.prisma (scripts/new-migration.ts).
-- The time-series tables are partitioned by time (lib/store/postgres/partitions.ts creates and
-- drops the partitions), so retention drops whole partitions instead of deleting rows.

-- CreateTable
CREATE TABLE "ServiceStatus" (
    "service" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "lastOkAt" TIMESTAMP(3),
    "latencyMs" INTEGER,
    "error" TEXT,
    "okSince" TIMESTAMP(3),
    "downSince" TIMESTAMP(3),

    CONSTRAINT "ServiceStatus_pkey" PRIMARY KEY ("service")
);

-- CreateTable
CREATE TABLE "key" (
    "id" SERIAL NOT NULL,
    "hash" TEXT NOT NULL,
    "alias" TEXT,
    "team_id" TEXT,
    "max_parallel_requests" INTEGER,
    "rpm_limit" BIGINT,
    "tpm_limit" BIGINT,
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "in_catalog" BOOLEAN NOT NULL DEFAULT true,
    "first_seen_at" TIMESTAMP(3) NOT NULL,
    "last_synced_at" TIMESTAMP(3),

    CONSTRAINT "key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "key_limit_change" (
    "id" SERIAL NOT NULL,
    "key_id" INTEGER NOT NULL,
    "effective_from_ms" BIGINT NOT NULL,
    "max_parallel_requests" INTEGER,
    "rpm_limit" BIGINT,
    "tpm_limit" BIGINT,
    "source" TEXT NOT NULL,

    CONSTRAINT "key_limit_change_pkey" PRIMARY KEY ("id")
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

    CONSTRAINT "request_pkey" PRIMARY KEY ("key_id","start_ms","request_id")
) PARTITION BY RANGE ("start_ms");

-- CreateTable
CREATE TABLE "series_1s" (
    "key_id" INTEGER NOT NULL,
    "sec" BIGINT NOT NULL,
    "max_in_flight" INTEGER NOT NULL,
    "admitted" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,

    CONSTRAINT "series_1s_pkey" PRIMARY KEY ("key_id","sec")
) PARTITION BY RANGE ("sec");

-- CreateTable
CREATE TABLE "series_1m" (
    "key_id" INTEGER NOT NULL,
    "minute" BIGINT NOT NULL,
    "max_in_flight" INTEGER NOT NULL,
    "admitted" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,

    CONSTRAINT "series_1m_pkey" PRIMARY KEY ("key_id","minute")
) PARTITION BY RANGE ("minute");

-- CreateTable
CREATE TABLE "series_dirty" (
    "id" SERIAL NOT NULL,
    "key_id" INTEGER NOT NULL,
    "from_ms" BIGINT NOT NULL,
    "to_ms" BIGINT NOT NULL,

    CONSTRAINT "series_dirty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "limiter_sample" (
    "key_id" INTEGER NOT NULL,
    "at_ms" BIGINT NOT NULL,
    "era" TEXT NOT NULL,
    "believed_in_flight" INTEGER,
    "raw_counter" DOUBLE PRECISION,
    "window_start_s" BIGINT,
    "requests" DOUBLE PRECISION,
    "tokens" DOUBLE PRECISION,

    CONSTRAINT "limiter_sample_pkey" PRIMARY KEY ("key_id","at_ms")
) PARTITION BY RANGE ("at_ms");

-- CreateTable
CREATE TABLE "ingest_cursor" (
    "source" TEXT NOT NULL,
    "complete_before_ms" BIGINT NOT NULL,
    "end_watermark_ms" BIGINT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ingest_cursor_pkey" PRIMARY KEY ("source")
);

-- CreateTable
CREATE TABLE "runner_job" (
    "name" TEXT NOT NULL,
    "holder" TEXT,
    "last_run_at" TIMESTAMP(3),
    "last_ok_at" TIMESTAMP(3),
    "last_error" TEXT,
    "failing_since" TIMESTAMP(3),
    "stats" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "runner_job_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "key_hash_key" ON "key"("hash");

-- CreateIndex
CREATE INDEX "key_limit_change_key_id_effective_from_ms_idx" ON "key_limit_change"("key_id", "effective_from_ms");

-- AddForeignKey
ALTER TABLE "key_limit_change" ADD CONSTRAINT "key_limit_change_key_id_fkey" FOREIGN KEY ("key_id") REFERENCES "key"("id") ON DELETE CASCADE ON UPDATE CASCADE;
