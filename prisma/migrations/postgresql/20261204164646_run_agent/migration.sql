-- AlterTable
ALTER TABLE "RestoreRun" ADD COLUMN     "agent" TEXT;

