-- AlterTable
ALTER TABLE "Schedule" ADD COLUMN     "activeSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "drift" TEXT,
ADD COLUMN     "driftCheckedAt" TIMESTAMP(3),
ADD COLUMN     "jobFingerprint" TEXT,
ADD COLUMN     "missedDueAt" TIMESTAMP(3);

