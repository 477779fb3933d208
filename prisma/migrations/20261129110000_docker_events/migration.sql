-- CreateTable
CREATE TABLE "DockerEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hostId" TEXT NOT NULL,
    "time" DATETIME NOT NULL,
    "type" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT,
    "attributes" TEXT
);

-- CreateIndex
CREATE INDEX "DockerEvent_hostId_time_idx" ON "DockerEvent"("hostId", "time");

-- CreateIndex
CREATE INDEX "DockerEvent_time_idx" ON "DockerEvent"("time");

