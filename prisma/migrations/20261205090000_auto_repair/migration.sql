-- CreateTable
CREATE TABLE "RepairRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster" TEXT NOT NULL,
    "policyId" INTEGER NOT NULL,
    "policyName" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "nodeUid" TEXT,
    "phase" TEXT NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "stepActionId" TEXT,
    "nextStepAt" DATETIME,
    "policy" TEXT NOT NULL,
    "cordonedBefore" BOOLEAN NOT NULL DEFAULT false,
    "cause" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "firstActedAt" DATETIME,
    "approvedBy" TEXT,
    "approvedAt" DATETIME,
    "approvalReason" TEXT,
    "quarantineUntil" DATETIME,
    "endedAt" DATETIME,
    "result" TEXT,
    "resultMessage" TEXT,
    "openKey" TEXT
);

-- CreateTable
CREATE TABLE "RepairDecision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster" TEXT NOT NULL,
    "runId" INTEGER,
    "policyId" INTEGER,
    "policyName" TEXT,
    "node" TEXT,
    "decision" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "action" TEXT,
    "actionId" TEXT,
    "actor" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "RepairControl" (
    "cluster" TEXT NOT NULL PRIMARY KEY,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "pausedBy" TEXT,
    "pausedReason" TEXT,
    "pausedAt" DATETIME,
    "breakerTrippedAt" DATETIME,
    "breakerReason" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RepairHold" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "clearedAt" DATETIME,
    "clearedBy" TEXT,
    "clearReason" TEXT,
    "openKey" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "RepairRun_openKey_key" ON "RepairRun"("openKey");

-- CreateIndex
CREATE INDEX "RepairRun_cluster_node_startedAt_idx" ON "RepairRun"("cluster", "node", "startedAt");

-- CreateIndex
CREATE INDEX "RepairRun_cluster_endedAt_idx" ON "RepairRun"("cluster", "endedAt");

-- CreateIndex
CREATE INDEX "RepairRun_cluster_policyId_firstActedAt_idx" ON "RepairRun"("cluster", "policyId", "firstActedAt");

-- CreateIndex
CREATE INDEX "RepairDecision_cluster_node_id_idx" ON "RepairDecision"("cluster", "node", "id");

-- CreateIndex
CREATE INDEX "RepairDecision_cluster_id_idx" ON "RepairDecision"("cluster", "id");

-- CreateIndex
CREATE UNIQUE INDEX "RepairHold_openKey_key" ON "RepairHold"("openKey");

-- CreateIndex
CREATE INDEX "RepairHold_cluster_node_idx" ON "RepairHold"("cluster", "node");

