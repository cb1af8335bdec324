-- CreateTable
CREATE TABLE "SandboxImageList" (
    "dbType" TEXT NOT NULL PRIMARY KEY,
    "images" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedByEmail" TEXT NOT NULL
);

