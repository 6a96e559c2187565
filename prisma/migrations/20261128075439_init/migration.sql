-- CreateTable
CREATE TABLE "NodeTransition" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster" TEXT NOT NULL DEFAULT 'default',
    "node" TEXT NOT NULL,
    "nodeUid" TEXT,
    "seq" INTEGER NOT NULL,
    "fromState" TEXT,
    "toState" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "observedAt" DATETIME NOT NULL,
    "apiTransitionTime" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "NodeTransition_cluster_node_observedAt_idx" ON "NodeTransition"("cluster", "node", "observedAt");

-- CreateIndex
CREATE INDEX "NodeTransition_cluster_observedAt_idx" ON "NodeTransition"("cluster", "observedAt");

-- CreateIndex
CREATE UNIQUE INDEX "NodeTransition_cluster_node_seq_key" ON "NodeTransition"("cluster", "node", "seq");

