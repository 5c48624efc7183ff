-- CreateTable
CREATE TABLE "series_1h" (
    "key_id" INTEGER NOT NULL,
    "hour" BIGINT NOT NULL,
    "max_in_flight" INTEGER NOT NULL,
    "admitted" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,

    CONSTRAINT "series_1h_pkey" PRIMARY KEY ("key_id","hour")
) PARTITION BY RANGE ("hour");

