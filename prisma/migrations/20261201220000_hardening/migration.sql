-- DropIndex
DROP INDEX "AuditEvent_actionId_idx";

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN "instanceId" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "origin" TEXT;

-- AlterTable
ALTER TABLE "NodeActionLock" ADD COLUMN "instanceId" TEXT;

-- AlterTable
ALTER TABLE "user" ADD COLUMN "disabledAt" DATETIME;

-- CreateTable
CREATE TABLE "AnonymousRefusal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cluster" TEXT NOT NULL,
    "sourceIp" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "minute" DATETIME NOT NULL,
    "count" INTEGER NOT NULL,
    "target" TEXT NOT NULL,
    "userAgent" TEXT,
    "firstAt" DATETIME NOT NULL,
    "lastAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Instance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" DATETIME NOT NULL,
    "stoppedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "AnonymousRefusal_minute_idx" ON "AnonymousRefusal"("minute");

-- CreateIndex
CREATE UNIQUE INDEX "AnonymousRefusal_cluster_sourceIp_action_minute_key" ON "AnonymousRefusal"("cluster", "sourceIp", "action", "minute");

-- Before the unique key: a second outcome row for one attempt (two processes on one database
-- could write one before this release) keeps its content under a phase of its own.
UPDATE "AuditEvent" SET "phase" = 'outcome-duplicate-' || "id"
WHERE "phase" = 'outcome' AND "id" NOT IN (SELECT MIN("id") FROM "AuditEvent" WHERE "phase" = 'outcome' GROUP BY "actionId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_actionId_phase_key" ON "AuditEvent"("actionId", "phase");


-- The audit log is append-only in the database itself, not only by convention: every UPDATE and
-- DELETE is refused, whoever connects. (DROP TABLE fires no triggers, so a later migration that
-- redefines the table still works; it must recreate these triggers.)
CREATE TRIGGER "AuditEvent_refuse_update" BEFORE UPDATE ON "AuditEvent"
BEGIN
    SELECT RAISE(ABORT, 'AuditEvent is append-only: UPDATE refused');
END;

CREATE TRIGGER "AuditEvent_refuse_delete" BEFORE DELETE ON "AuditEvent"
BEGIN
    SELECT RAISE(ABORT, 'AuditEvent is append-only: DELETE refused');
END;
