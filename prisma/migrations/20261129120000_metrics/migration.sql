-- CreateTable
CREATE TABLE "MetricRollup" (
    "tier" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "containerId" TEXT NOT NULL,
    "bucket" INTEGER NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpuMin" REAL,
    "cpuAvg" REAL,
    "cpuMax" REAL,
    "memMin" REAL,
    "memAvg" REAL,
    "memMax" REAL,
    "memPctMin" REAL,
    "memPctAvg" REAL,
    "memPctMax" REAL,
    "netRxMin" REAL,
    "netRxAvg" REAL,
    "netRxMax" REAL,
    "netTxMin" REAL,
    "netTxAvg" REAL,
    "netTxMax" REAL,
    "ioReadMin" REAL,
    "ioReadAvg" REAL,
    "ioReadMax" REAL,
    "ioWriteMin" REAL,
    "ioWriteAvg" REAL,
    "ioWriteMax" REAL,
    "pidsMin" REAL,
    "pidsAvg" REAL,
    "pidsMax" REAL,
    "swapMin" REAL,
    "swapAvg" REAL,
    "swapMax" REAL,
    "load1Min" REAL,
    "load1Avg" REAL,
    "load1Max" REAL,

    PRIMARY KEY ("tier", "hostId", "containerId", "bucket")
);

-- CreateIndex
CREATE INDEX "MetricRollup_tier_bucket_idx" ON "MetricRollup"("tier", "bucket");

