-- CreateTable
CREATE TABLE "ScheduleIntent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "operation" TEXT NOT NULL,
    "scheduleId" TEXT NOT NULL,
    "jobName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SshKeyPaths" (
    "credentialId" TEXT NOT NULL PRIMARY KEY,
    "prefixes" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedByEmail" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "ScheduleIntent_jobName_idx" ON "ScheduleIntent"("jobName");

