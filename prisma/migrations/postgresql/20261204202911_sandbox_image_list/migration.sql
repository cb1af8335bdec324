-- CreateTable
CREATE TABLE "SandboxImageList" (
    "dbType" TEXT NOT NULL,
    "images" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedByEmail" TEXT NOT NULL,

    CONSTRAINT "SandboxImageList_pkey" PRIMARY KEY ("dbType")
);

