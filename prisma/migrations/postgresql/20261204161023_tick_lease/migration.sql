-- CreateTable
CREATE TABLE "TickLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "okAt" TIMESTAMP(3),

    CONSTRAINT "TickLease_pkey" PRIMARY KEY ("name")
);

