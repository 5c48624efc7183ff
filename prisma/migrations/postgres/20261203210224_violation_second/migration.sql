-- CreateTable
CREATE TABLE "violation_second" (
    "key_id" INTEGER NOT NULL,
    "sec" BIGINT NOT NULL,

    CONSTRAINT "violation_second_pkey" PRIMARY KEY ("key_id","sec")
);

