-- CreateTable
CREATE TABLE "burst_twin" (
    "hash" TEXT NOT NULL,
    "twin_of" TEXT NOT NULL,
    "created_ms" BIGINT NOT NULL,

    CONSTRAINT "burst_twin_pkey" PRIMARY KEY ("hash")
);

