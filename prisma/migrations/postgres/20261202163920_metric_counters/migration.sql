-- CreateTable
CREATE TABLE "key_counter" (
    "key_id" INTEGER NOT NULL,
    "admitted" BIGINT NOT NULL DEFAULT 0,
    "rejected" BIGINT NOT NULL DEFAULT 0,
    "violation_seconds" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "key_counter_pkey" PRIMARY KEY ("key_id")
);

-- CreateTable
CREATE TABLE "counter_cursor" (
    "name" TEXT NOT NULL,
    "through_sec" BIGINT NOT NULL,

    CONSTRAINT "counter_cursor_pkey" PRIMARY KEY ("name")
);

