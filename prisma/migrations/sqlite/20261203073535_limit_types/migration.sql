-- 429s by limit type (lib/ingest/limit-type.ts). Plain ADD COLUMN: Prisma's table redefinition
-- would copy every series row and rebuild key_counter (its key as AUTOINCREMENT); the series tables
-- stay WITHOUT ROWID as they are.
--
-- Rows already stored keep what they were: their proxy-side 429s are `rejected` with no limit type
-- (the error text was not kept, so they cannot be told apart now), and their series count them
-- there; new columns start at 0.

-- AlterTable
ALTER TABLE "request" ADD COLUMN "limit_type" TEXT;

-- AlterTable
ALTER TABLE "series_1s" ADD COLUMN "rejected_rpm" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "series_1s" ADD COLUMN "rejected_tpm" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "series_1s" ADD COLUMN "rejected_other" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "series_1m" ADD COLUMN "rejected_rpm" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "series_1m" ADD COLUMN "rejected_tpm" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "series_1m" ADD COLUMN "rejected_other" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "series_1h" ADD COLUMN "rejected_rpm" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "series_1h" ADD COLUMN "rejected_tpm" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "series_1h" ADD COLUMN "rejected_other" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "key_counter" ADD COLUMN "rejected_rpm" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "key_counter" ADD COLUMN "rejected_tpm" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "key_counter" ADD COLUMN "rejected_other" BIGINT NOT NULL DEFAULT 0;
