-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "hostGroupIds" TEXT;
ALTER TABLE "ApiToken" ADD COLUMN "permissions" TEXT;

-- CreateTable
CREATE TABLE "Team" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "TeamMember" (
    "teamId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    PRIMARY KEY ("teamId", "userId"),
    CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TeamMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Role" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "builtin" BOOLEAN NOT NULL DEFAULT false,
    "permissions" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HostGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "allHosts" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "HostGroupMember" (
    "groupId" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,

    PRIMARY KEY ("groupId", "hostId"),
    CONSTRAINT "HostGroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "HostGroup" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "HostGroupMember_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Grant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT,
    "teamId" TEXT,
    "roleId" TEXT NOT NULL,
    "hostGroupId" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Grant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Grant_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Grant_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Grant_hostGroupId_fkey" FOREIGN KEY ("hostGroupId") REFERENCES "HostGroup" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Command" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hostId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "actorId" TEXT,
    "issuedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "result" TEXT,
    "settledAt" DATETIME
);

-- Built-in roles and the "All hosts" group; existing users keep their access as a grant on it.
INSERT INTO "Role" ("id", "name", "description", "builtin", "permissions", "createdAt", "updatedAt") VALUES
  ('role-admin', 'admin', 'Everything, including users, hosts, enrollment and the audit log', true, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('role-operator', 'operator', 'Lifecycle, create, exec and logs on granted hosts', true, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('role-viewer', 'viewer', 'Read-only on granted hosts; no exec, no secrets in env', true, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
INSERT INTO "HostGroup" ("id", "name", "description", "allHosts", "createdAt") VALUES
  ('group-all', 'All hosts', 'Every host, present and future', true, CURRENT_TIMESTAMP);
INSERT INTO "Grant" ("id", "userId", "roleId", "hostGroupId", "createdAt")
  SELECT 'grant-' || "id", "id", 'role-' || "role", 'group-all', CURRENT_TIMESTAMP FROM "user" WHERE "role" IN ('admin', 'operator', 'viewer');

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_user" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_user" ("createdAt", "disabled", "email", "emailVerified", "id", "image", "name", "updatedAt") SELECT "createdAt", "disabled", "email", "emailVerified", "id", "image", "name", "updatedAt" FROM "user";
DROP TABLE "user";
ALTER TABLE "new_user" RENAME TO "user";
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");
CREATE TABLE "new_AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actorId" TEXT,
    "actor" TEXT NOT NULL,
    "sourceIp" TEXT,
    "hostId" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "params" TEXT,
    "result" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);
-- Entries written before the hash chain existed are kept and marked; the chain starts after them.
INSERT INTO "new_AuditEvent" ("action", "actor", "actorId", "at", "hostId", "id", "params", "result", "sourceIp", "target", "prevHash", "hash") SELECT "action", "actor", "actorId", "at", "hostId", "id", "params", "result", "sourceIp", "target", 'pre-chain:' || "id", 'pre-chain:' || "id" FROM "AuditEvent";
DROP TABLE "AuditEvent";
ALTER TABLE "new_AuditEvent" RENAME TO "AuditEvent";
CREATE UNIQUE INDEX "AuditEvent_prevHash_key" ON "AuditEvent"("prevHash");
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");
CREATE INDEX "AuditEvent_actor_idx" ON "AuditEvent"("actor");
CREATE INDEX "AuditEvent_hostId_idx" ON "AuditEvent"("hostId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");

-- CreateIndex
CREATE INDEX "TeamMember_userId_idx" ON "TeamMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Role_name_key" ON "Role"("name");

-- CreateIndex
CREATE UNIQUE INDEX "HostGroup_name_key" ON "HostGroup"("name");

-- CreateIndex
CREATE INDEX "HostGroupMember_hostId_idx" ON "HostGroupMember"("hostId");

-- CreateIndex
CREATE INDEX "Grant_userId_idx" ON "Grant"("userId");

-- CreateIndex
CREATE INDEX "Grant_teamId_idx" ON "Grant"("teamId");

-- CreateIndex
CREATE INDEX "Command_hostId_status_idx" ON "Command"("hostId", "status");


-- The audit log is append-only.
CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent" BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent" BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
