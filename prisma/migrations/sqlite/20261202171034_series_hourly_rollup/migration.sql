-- CreateTable
CREATE TABLE "series_1h" (
    "key_id" INTEGER NOT NULL,
    "hour" BIGINT NOT NULL,
    "max_in_flight" INTEGER NOT NULL,
    "admitted" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,

    PRIMARY KEY ("key_id", "hour")
) WITHOUT ROWID;


-- Fill the roll-up from the minutes a store already holds (SQLite stores predate it; Postgres
-- stores start with it). From here on the series maintainer writes it with the minutes.
INSERT INTO "series_1h" ("key_id", "hour", "max_in_flight", "admitted", "rejected")
SELECT "key_id", "minute" / 3600 * 3600, MAX("max_in_flight"), SUM("admitted"), SUM("rejected")
FROM "series_1m" GROUP BY "key_id", "minute" / 3600 * 3600;
