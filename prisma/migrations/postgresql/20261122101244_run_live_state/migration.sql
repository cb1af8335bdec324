-- AlterTable
ALTER TABLE "RestoreRun" ADD COLUMN     "callbackAt" TIMESTAMP(3),
ADD COLUMN     "stages" TEXT,
ADD COLUMN     "stopRequestedAt" TIMESTAMP(3),
ADD COLUMN     "stopRequestedByEmail" TEXT;

