-- CreateTable
CREATE TABLE "violation_second" (
    "key_id" INTEGER NOT NULL,
    "sec" BIGINT NOT NULL,

    PRIMARY KEY ("key_id", "sec")
) WITHOUT ROWID;

