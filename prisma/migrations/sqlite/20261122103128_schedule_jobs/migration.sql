-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Schedule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "jobName" TEXT NOT NULL,
    "ownerId" TEXT,
    "ownerEmail" TEXT NOT NULL,
    "parameters" TEXT NOT NULL,
    "frequency" TEXT NOT NULL,
    "weekday" INTEGER,
    "dayOfMonth" INTEGER,
    "time" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "notifyEmails" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "shrinkThresholdPct" INTEGER NOT NULL DEFAULT 20,
    "shrinkFailsRun" BOOLEAN NOT NULL DEFAULT false,
    "brokenReason" TEXT,
    "missedSince" DATETIME,
    "missedDueAt" DATETIME,
    "activeSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "jobFingerprint" TEXT,
    "drift" TEXT,
    "driftCheckedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdByEmail" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedByEmail" TEXT NOT NULL
);
INSERT INTO "new_Schedule" ("brokenReason", "createdAt", "createdByEmail", "dayOfMonth", "enabled", "frequency", "id", "jobName", "missedSince", "name", "notifyEmails", "ownerEmail", "ownerId", "parameters", "shrinkFailsRun", "shrinkThresholdPct", "time", "timeZone", "updatedAt", "updatedByEmail", "weekday") SELECT "brokenReason", "createdAt", "createdByEmail", "dayOfMonth", "enabled", "frequency", "id", "jobName", "missedSince", "name", "notifyEmails", "ownerEmail", "ownerId", "parameters", "shrinkFailsRun", "shrinkThresholdPct", "time", "timeZone", "updatedAt", "updatedByEmail", "weekday" FROM "Schedule";
DROP TABLE "Schedule";
ALTER TABLE "new_Schedule" RENAME TO "Schedule";
CREATE UNIQUE INDEX "Schedule_name_key" ON "Schedule"("name");
CREATE UNIQUE INDEX "Schedule_jobName_key" ON "Schedule"("jobName");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

