-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "actionId" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "outcome" TEXT,
    "cluster" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetKind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "actorKind" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "actorRole" TEXT,
    "sourceIp" TEXT,
    "userAgent" TEXT,
    "reason" TEXT,
    "gateOverride" TEXT,
    "plan" TEXT,
    "results" TEXT,
    "k8sStatus" TEXT,
    "message" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "NodeBackup" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "nodeUid" TEXT,
    "labels" TEXT NOT NULL,
    "annotations" TEXT NOT NULL,
    "taints" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "takenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "restoredAt" DATETIME,
    "restoredBy" TEXT
);

-- CreateTable
CREATE TABLE "NodeActionLock" (
    "cluster" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "acquiredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,

    PRIMARY KEY ("cluster", "node")
);

-- CreateTable
CREATE TABLE "OutOfServiceTaint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "appliedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedBy" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "removedAt" DATETIME,
    "removedBy" TEXT
);

-- CreateIndex
CREATE INDEX "AuditEvent_cluster_at_idx" ON "AuditEvent"("cluster", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_cluster_target_at_idx" ON "AuditEvent"("cluster", "target", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actionId_idx" ON "AuditEvent"("actionId");

-- CreateIndex
CREATE INDEX "NodeBackup_cluster_node_takenAt_idx" ON "NodeBackup"("cluster", "node", "takenAt");

-- CreateIndex
CREATE INDEX "OutOfServiceTaint_cluster_node_idx" ON "OutOfServiceTaint"("cluster", "node");

