-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "NodeTransition" (
    "id" SERIAL NOT NULL,
    "cluster" TEXT NOT NULL DEFAULT 'default',
    "node" TEXT NOT NULL,
    "nodeUid" TEXT,
    "seq" INTEGER NOT NULL,
    "fromState" TEXT,
    "toState" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "observedAt" TIMESTAMP(3) NOT NULL,
    "apiTransitionTime" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NodeTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" SERIAL NOT NULL,
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
    "origin" TEXT,
    "instanceId" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnonymousRefusal" (
    "id" SERIAL NOT NULL,
    "cluster" TEXT NOT NULL,
    "sourceIp" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,
    "target" TEXT NOT NULL,
    "userAgent" TEXT,
    "firstAt" TIMESTAMP(3) NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AnonymousRefusal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Instance" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,
    "stoppedAt" TIMESTAMP(3),

    CONSTRAINT "Instance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NodeBackup" (
    "id" SERIAL NOT NULL,
    "cluster" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "nodeUid" TEXT,
    "labels" TEXT NOT NULL,
    "annotations" TEXT NOT NULL,
    "taints" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "restoredAt" TIMESTAMP(3),
    "restoredBy" TEXT,

    CONSTRAINT "NodeBackup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NodeActionLock" (
    "cluster" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "instanceId" TEXT,
    "acquiredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NodeActionLock_pkey" PRIMARY KEY ("cluster","node")
);

-- CreateTable
CREATE TABLE "OutOfServiceTaint" (
    "id" SERIAL NOT NULL,
    "cluster" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "appliedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedBy" TEXT NOT NULL,
    "actionId" TEXT NOT NULL,
    "removedAt" TIMESTAMP(3),
    "removedBy" TEXT,

    CONSTRAINT "OutOfServiceTaint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "role" TEXT NOT NULL DEFAULT 'viewer',
    "disabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "userId" TEXT NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "accessToken" TEXT,
    "refreshToken" TEXT,
    "idToken" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "refreshTokenExpiresAt" TIMESTAMP(3),
    "scope" TEXT,
    "password" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "verification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" SERIAL NOT NULL,
    "cluster" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "confirmedAt" TIMESTAMP(3),
    "firstActionAt" TIMESTAMP(3),
    "remediatedAt" TIMESTAMP(3),
    "recoveredAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "nodeCount" INTEGER NOT NULL,
    "nodeNames" TEXT NOT NULL,
    "workloadCount" INTEGER NOT NULL DEFAULT 0,
    "workloadsHit" INTEGER NOT NULL DEFAULT 0,
    "actionCount" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentNode" (
    "incidentId" INTEGER NOT NULL,
    "cluster" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "nodeUid" TEXT,
    "state" TEXT NOT NULL,
    "firstSignAt" TIMESTAMP(3) NOT NULL,
    "lastHeartbeatAt" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3),
    "remediatedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "backAt" TIMESTAMP(3),
    "returnedAt" TIMESTAMP(3),
    "labels" TEXT NOT NULL,
    "transitionId" INTEGER NOT NULL,

    CONSTRAINT "IncidentNode_pkey" PRIMARY KEY ("incidentId","node")
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
    "affectedAt" TIMESTAMP(3) NOT NULL,
    "firstDegradedAt" TIMESTAMP(3),
    "wholeAt" TIMESTAMP(3),

    CONSTRAINT "IncidentWorkload_pkey" PRIMARY KEY ("incidentId","kind","namespace","name")
);

-- CreateTable
CREATE TABLE "WorkloadTransition" (
    "id" SERIAL NOT NULL,
    "cluster" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "fromState" TEXT,
    "toState" TEXT NOT NULL,
    "desired" INTEGER,
    "ready" INTEGER,
    "observedAt" TIMESTAMP(3) NOT NULL,
    "incidentId" INTEGER,

    CONSTRAINT "WorkloadTransition_pkey" PRIMARY KEY ("id")
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
    "deletionAt" TIMESTAMP(3),
    "stuckSeenAt" TIMESTAMP(3) NOT NULL,
    "goneAt" TIMESTAMP(3),

    CONSTRAINT "IncidentPod_pkey" PRIMARY KEY ("incidentId","podKey")
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
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IncidentAction_pkey" PRIMARY KEY ("incidentId","auditEventId")
);

-- CreateTable
CREATE TABLE "IncidentEvent" (
    "id" SERIAL NOT NULL,
    "incidentId" INTEGER NOT NULL,
    "cluster" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "payload" TEXT NOT NULL,

    CONSTRAINT "IncidentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationEndpoint" (
    "id" SERIAL NOT NULL,
    "cluster" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "events" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "id" SERIAL NOT NULL,
    "endpointId" INTEGER NOT NULL,
    "eventId" INTEGER,
    "incidentId" INTEGER,
    "eventType" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "claimedBy" TEXT,
    "claimedUntil" TIMESTAMP(3),
    "lastAttemptAt" TIMESTAMP(3),
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "retriedAt" TIMESTAMP(3),

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RepairPolicy" (
    "id" SERIAL NOT NULL,
    "cluster" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "mode" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RepairPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RepairRun" (
    "id" SERIAL NOT NULL,
    "cluster" TEXT NOT NULL,
    "policyId" INTEGER NOT NULL,
    "policyName" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "nodeUid" TEXT,
    "phase" TEXT NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "stepActionId" TEXT,
    "nextStepAt" TIMESTAMP(3),
    "policy" TEXT NOT NULL,
    "cordonedBefore" BOOLEAN NOT NULL DEFAULT false,
    "cause" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "firstActedAt" TIMESTAMP(3),
    "approvedBy" TEXT,
    "approvedAt" TIMESTAMP(3),
    "approvalReason" TEXT,
    "quarantineUntil" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "result" TEXT,
    "resultMessage" TEXT,
    "openKey" TEXT,

    CONSTRAINT "RepairRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RepairDecision" (
    "id" SERIAL NOT NULL,
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
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RepairDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RepairControl" (
    "cluster" TEXT NOT NULL,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "pausedBy" TEXT,
    "pausedReason" TEXT,
    "pausedAt" TIMESTAMP(3),
    "breakerTrippedAt" TIMESTAMP(3),
    "breakerReason" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RepairControl_pkey" PRIMARY KEY ("cluster")
);

-- CreateTable
CREATE TABLE "RepairHold" (
    "id" SERIAL NOT NULL,
    "cluster" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "clearedAt" TIMESTAMP(3),
    "clearedBy" TEXT,
    "clearReason" TEXT,
    "openKey" TEXT,

    CONSTRAINT "RepairHold_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NodeTransition_cluster_node_observedAt_idx" ON "NodeTransition"("cluster", "node", "observedAt");

-- CreateIndex
CREATE INDEX "NodeTransition_cluster_observedAt_idx" ON "NodeTransition"("cluster", "observedAt");

-- CreateIndex
CREATE UNIQUE INDEX "NodeTransition_cluster_node_seq_key" ON "NodeTransition"("cluster", "node", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_cluster_at_idx" ON "AuditEvent"("cluster", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_cluster_target_at_idx" ON "AuditEvent"("cluster", "target", "at");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_actionId_phase_key" ON "AuditEvent"("actionId", "phase");

-- CreateIndex
CREATE INDEX "AnonymousRefusal_minute_idx" ON "AnonymousRefusal"("minute");

-- CreateIndex
CREATE UNIQUE INDEX "AnonymousRefusal_cluster_sourceIp_action_minute_key" ON "AnonymousRefusal"("cluster", "sourceIp", "action", "minute");

-- CreateIndex
CREATE INDEX "NodeBackup_cluster_node_takenAt_idx" ON "NodeBackup"("cluster", "node", "takenAt");

-- CreateIndex
CREATE INDEX "OutOfServiceTaint_cluster_node_idx" ON "OutOfServiceTaint"("cluster", "node");

-- CreateIndex
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "session_token_key" ON "session"("token");

-- CreateIndex
CREATE INDEX "session_userId_idx" ON "session"("userId");

-- CreateIndex
CREATE INDEX "account_userId_idx" ON "account"("userId");

-- CreateIndex
CREATE INDEX "verification_identifier_idx" ON "verification"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_name_key" ON "ApiToken"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

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

-- CreateIndex
CREATE UNIQUE INDEX "NotificationEndpoint_cluster_name_key" ON "NotificationEndpoint"("cluster", "name");

-- CreateIndex
CREATE INDEX "NotificationDelivery_endpointId_status_eventId_idx" ON "NotificationDelivery"("endpointId", "status", "eventId");

-- CreateIndex
CREATE INDEX "NotificationDelivery_status_nextAttemptAt_idx" ON "NotificationDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationDelivery_endpointId_eventId_key" ON "NotificationDelivery"("endpointId", "eventId");

-- CreateIndex
CREATE UNIQUE INDEX "RepairPolicy_cluster_name_key" ON "RepairPolicy"("cluster", "name");

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

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The audit log is append-only in the database itself, not only by convention (as the SQLite
-- hardening migration does with triggers): UPDATE, DELETE and TRUNCATE are refused, whoever connects.
CREATE FUNCTION "AuditEvent_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER "AuditEvent_refuse_update" BEFORE UPDATE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "AuditEvent_refuse_change"();
CREATE TRIGGER "AuditEvent_refuse_delete" BEFORE DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "AuditEvent_refuse_change"();
CREATE TRIGGER "AuditEvent_refuse_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "AuditEvent_refuse_change"();
