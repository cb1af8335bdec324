-- AlterTable
ALTER TABLE "RestoreRun" ADD COLUMN "callbackAt" DATETIME;
ALTER TABLE "RestoreRun" ADD COLUMN "stages" TEXT;
ALTER TABLE "RestoreRun" ADD COLUMN "stopRequestedAt" DATETIME;
ALTER TABLE "RestoreRun" ADD COLUMN "stopRequestedByEmail" TEXT;

