-- CreateTable
CREATE TABLE "burst_twin" (
    "hash" TEXT NOT NULL PRIMARY KEY,
    "twin_of" TEXT NOT NULL,
    "created_ms" BIGINT NOT NULL
);

