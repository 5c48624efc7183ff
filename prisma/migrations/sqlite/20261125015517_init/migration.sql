-- CreateTable
CREATE TABLE "ServiceStatus" (
    "service" TEXT NOT NULL PRIMARY KEY,
    "ok" BOOLEAN NOT NULL,
    "checkedAt" DATETIME NOT NULL,
    "lastOkAt" DATETIME,
    "latencyMs" INTEGER,
    "error" TEXT,
    "okSince" DATETIME,
    "downSince" DATETIME
);
