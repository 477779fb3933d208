-- CreateTable
CREATE TABLE "LogRetentionRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hostId" TEXT,
    "label" TEXT,
    "maxMb" INTEGER NOT NULL,
    "maxDays" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RetainedLogLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hostId" TEXT NOT NULL,
    "containerId" TEXT NOT NULL,
    "containerName" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "LogRetentionRule_hostId_label_key" ON "LogRetentionRule"("hostId", "label");

-- CreateIndex
CREATE INDEX "RetainedLogLine_hostId_containerId_id_idx" ON "RetainedLogLine"("hostId", "containerId", "id");

-- CreateIndex
CREATE INDEX "RetainedLogLine_ruleId_idx" ON "RetainedLogLine"("ruleId");

-- CreateIndex
CREATE INDEX "RetainedLogLine_ts_idx" ON "RetainedLogLine"("ts");

