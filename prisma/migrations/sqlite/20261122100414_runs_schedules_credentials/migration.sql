-- CreateTable
CREATE TABLE "RestoreRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "source" TEXT NOT NULL,
    "startedById" TEXT,
    "startedByEmail" TEXT,
    "scheduleId" TEXT,
    "parameters" TEXT NOT NULL,
    "backupHost" TEXT NOT NULL,
    "backupPath" TEXT NOT NULL,
    "dbType" TEXT NOT NULL,
    "jobName" TEXT NOT NULL,
    "queueId" INTEGER,
    "buildNumber" INTEGER,
    "buildUrl" TEXT,
    "status" TEXT NOT NULL,
    "failedStage" TEXT,
    "reasonCode" TEXT,
    "reason" TEXT,
    "report" TEXT,
    "backupBytes" BIGINT,
    "totalRows" BIGINT,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "durationMs" INTEGER,
    "alarm" TEXT,
    CONSTRAINT "RestoreRun_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "Schedule" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Schedule" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdByEmail" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedByEmail" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "CredentialRef" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "keyType" TEXT NOT NULL,
    "details" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "createdByEmail" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "RestoreRun_createdAt_idx" ON "RestoreRun"("createdAt");

-- CreateIndex
CREATE INDEX "RestoreRun_status_createdAt_idx" ON "RestoreRun"("status", "createdAt");

-- CreateIndex
CREATE INDEX "RestoreRun_scheduleId_createdAt_idx" ON "RestoreRun"("scheduleId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RestoreRun_jobName_buildNumber_key" ON "RestoreRun"("jobName", "buildNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Schedule_name_key" ON "Schedule"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Schedule_jobName_key" ON "Schedule"("jobName");

