-- CreateTable
CREATE TABLE "TickLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "leaseUntil" DATETIME NOT NULL,
    "okAt" DATETIME
);

