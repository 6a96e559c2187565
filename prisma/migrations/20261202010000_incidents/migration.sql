-- CreateTable
CREATE TABLE "Incident" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL,
    "confirmedAt" DATETIME,
    "firstActionAt" DATETIME,
    "remediatedAt" DATETIME,
    "recoveredAt" DATETIME,
    "closedAt" DATETIME,
    "nodeCount" INTEGER NOT NULL,
    "nodeNames" TEXT NOT NULL,
    "workloadCount" INTEGER NOT NULL DEFAULT 0,
    "workloadsHit" INTEGER NOT NULL DEFAULT 0,
    "actionCount" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "IncidentNode" (
    "incidentId" INTEGER NOT NULL,
    "cluster" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "nodeUid" TEXT,
    "state" TEXT NOT NULL,
    "firstSignAt" DATETIME NOT NULL,
    "lastHeartbeatAt" DATETIME,
    "confirmedAt" DATETIME,
    "remediatedAt" DATETIME,
    "deletedAt" DATETIME,
    "backAt" DATETIME,
    "returnedAt" DATETIME,
    "labels" TEXT NOT NULL,
    "transitionId" INTEGER NOT NULL,

    PRIMARY KEY ("incidentId", "node")
);

-- CreateTable
CREATE TABLE "IncidentWorkload" (
    "incidentId" INTEGER NOT NULL,
    "cluster" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "desired" INTEGER,
    "ready" INTEGER,
    "affectedAt" DATETIME NOT NULL,
    "firstDegradedAt" DATETIME,
    "wholeAt" DATETIME,

    PRIMARY KEY ("incidentId", "kind", "namespace", "name")
);

-- CreateTable
CREATE TABLE "WorkloadTransition" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "fromState" TEXT,
    "toState" TEXT NOT NULL,
    "desired" INTEGER,
    "ready" INTEGER,
    "observedAt" DATETIME NOT NULL,
    "incidentId" INTEGER
);

-- CreateTable
CREATE TABLE "IncidentPod" (
    "incidentId" INTEGER NOT NULL,
    "podKey" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "ownerKind" TEXT,
    "ownerName" TEXT,
    "deletionAt" DATETIME,
    "stuckSeenAt" DATETIME NOT NULL,
    "goneAt" DATETIME,

    PRIMARY KEY ("incidentId", "podKey")
);

-- CreateTable
CREATE TABLE "IncidentAction" (
    "incidentId" INTEGER NOT NULL,
    "auditEventId" INTEGER NOT NULL,
    "actionId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "actorKind" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "actorRole" TEXT,
    "reason" TEXT,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("incidentId", "auditEventId")
);

-- CreateTable
CREATE TABLE "IncidentEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "incidentId" INTEGER NOT NULL,
    "cluster" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "payload" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "Incident_cluster_closedAt_openedAt_idx" ON "Incident"("cluster", "closedAt", "openedAt");

-- CreateIndex
CREATE INDEX "Incident_cluster_openedAt_idx" ON "Incident"("cluster", "openedAt");

-- CreateIndex
CREATE INDEX "IncidentNode_cluster_node_idx" ON "IncidentNode"("cluster", "node");

-- CreateIndex
CREATE INDEX "IncidentWorkload_cluster_namespace_name_idx" ON "IncidentWorkload"("cluster", "namespace", "name");

-- CreateIndex
CREATE INDEX "WorkloadTransition_incidentId_idx" ON "WorkloadTransition"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "WorkloadTransition_cluster_kind_namespace_name_seq_key" ON "WorkloadTransition"("cluster", "kind", "namespace", "name", "seq");

-- CreateIndex
CREATE INDEX "IncidentEvent_cluster_id_idx" ON "IncidentEvent"("cluster", "id");

-- CreateIndex
CREATE UNIQUE INDEX "IncidentEvent_incidentId_dedupKey_key" ON "IncidentEvent"("incidentId", "dedupKey");

