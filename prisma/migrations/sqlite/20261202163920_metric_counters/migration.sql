-- CreateTable
CREATE TABLE "key_counter" (
    "key_id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "admitted" BIGINT NOT NULL DEFAULT 0,
    "rejected" BIGINT NOT NULL DEFAULT 0,
    "violation_seconds" BIGINT NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "counter_cursor" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "through_sec" BIGINT NOT NULL
);

