-- CreateIndex
CREATE INDEX "AuditEvent_outcome_at_idx" ON "AuditEvent"("outcome", "at");

-- CreateIndex
CREATE INDEX "RestoreRun_startedByEmail_createdAt_idx" ON "RestoreRun"("startedByEmail", "createdAt");

-- CreateIndex
CREATE INDEX "RestoreRun_backupHost_createdAt_idx" ON "RestoreRun"("backupHost", "createdAt");

-- CreateIndex
CREATE INDEX "RestoreRun_createdAt_scheduleId_status_idx" ON "RestoreRun"("createdAt", "scheduleId", "status");

