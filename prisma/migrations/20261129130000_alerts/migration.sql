-- CreateTable
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "target" TEXT NOT NULL DEFAULT 'host',
    "hostGroupId" TEXT,
    "labelSelector" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ruleId" TEXT,
    "ruleName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "containerId" TEXT,
    "subject" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "firedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "acknowledgedAt" DATETIME,
    "acknowledgedBy" TEXT,
    "value" REAL,
    "message" TEXT NOT NULL,
    CONSTRAINT "Alert_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookTarget" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "webhookId" TEXT NOT NULL,
    "alertId" TEXT,
    "event" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "httpStatus" INTEGER,
    "error" TEXT,
    "nextAttemptAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME,
    CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "WebhookTarget" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "WebhookDelivery_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "_AlertRuleWebhooks" (
    "A" TEXT NOT NULL,
    "B" TEXT NOT NULL,
    CONSTRAINT "_AlertRuleWebhooks_A_fkey" FOREIGN KEY ("A") REFERENCES "AlertRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "_AlertRuleWebhooks_B_fkey" FOREIGN KEY ("B") REFERENCES "WebhookTarget" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "AlertRule_name_key" ON "AlertRule"("name");

-- CreateIndex
CREATE INDEX "Alert_state_firedAt_idx" ON "Alert"("state", "firedAt");

-- CreateIndex
CREATE INDEX "Alert_hostId_firedAt_idx" ON "Alert"("hostId", "firedAt");

-- CreateIndex
CREATE INDEX "Alert_subjectKey_state_idx" ON "Alert"("subjectKey", "state");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookTarget_name_key" ON "WebhookTarget"("name");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_alertId_idx" ON "WebhookDelivery"("alertId");

-- CreateIndex
CREATE UNIQUE INDEX "_AlertRuleWebhooks_AB_unique" ON "_AlertRuleWebhooks"("A", "B");

-- CreateIndex
CREATE INDEX "_AlertRuleWebhooks_B_index" ON "_AlertRuleWebhooks"("B");


-- At most one firing alert per rule and subject, even with two engines racing (not expressible in Prisma's schema).
CREATE UNIQUE INDEX "Alert_one_firing_per_subject" ON "Alert"("subjectKey") WHERE "state" = 'firing';
