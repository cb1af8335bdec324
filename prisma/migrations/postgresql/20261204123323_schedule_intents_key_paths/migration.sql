-- CreateTable
CREATE TABLE "ScheduleIntent" (
    "id" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "scheduleId" TEXT NOT NULL,
    "jobName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScheduleIntent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SshKeyPaths" (
    "credentialId" TEXT NOT NULL,
    "prefixes" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedByEmail" TEXT NOT NULL,

    CONSTRAINT "SshKeyPaths_pkey" PRIMARY KEY ("credentialId")
);

-- CreateIndex
CREATE INDEX "ScheduleIntent_jobName_idx" ON "ScheduleIntent"("jobName");

