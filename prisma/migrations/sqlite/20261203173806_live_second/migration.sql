-- CreateTable
CREATE TABLE "live_second" (
    "key_id" INTEGER NOT NULL,
    "sec" BIGINT NOT NULL,
    "max_in_flight" INTEGER NOT NULL,

    PRIMARY KEY ("key_id", "sec")
) WITHOUT ROWID;

