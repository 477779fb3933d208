-- The PostgreSQL history starts here, at the schema the SQLite migrations up to
-- 20261129140000_log_retention built. What those migrations did by hand follows.
-- adapter-pg runs a migration statement by statement, split at EVERY semicolon (even inside quotes
-- or comments): a semicolon inside a literal is written \073 in an E'' string.

-- Built-in roles and the "All hosts" group (SQLite: 20261129100000_access_model).
INSERT INTO "Role" ("id", "name", "description", "builtin", "permissions", "createdAt", "updatedAt") VALUES
  ('role-admin', 'admin', 'Everything, including users, hosts, enrollment and the audit log', true, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('role-operator', 'operator', 'Lifecycle, create, exec and logs on granted hosts', true, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('role-viewer', 'viewer', E'Read-only on granted hosts\073 no exec, no secrets in env', true, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
INSERT INTO "HostGroup" ("id", "name", "description", "allHosts", "createdAt") VALUES
  ('group-all', 'All hosts', 'Every host, present and future', true, CURRENT_TIMESTAMP);

-- The audit log is append-only (SQLite: triggers of the same names). TRUNCATE is refused too.
CREATE FUNCTION "AuditEvent_append_only"() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN RAISE EXCEPTION ''audit log is append-only''\073 END';
CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "AuditEvent_append_only"();
CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "AuditEvent_append_only"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent" FOR EACH STATEMENT EXECUTE FUNCTION "AuditEvent_append_only"();
