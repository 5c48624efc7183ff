-- AlterTable
ALTER TABLE "key_counter" ADD COLUMN "longest_request_ms" BIGINT NOT NULL DEFAULT 0;
