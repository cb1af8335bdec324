-- The database's content version (lib/db/data-version.ts): a sequence that every committed change
-- of a table the portal's pages show moves, whichever process or replica made it. The page cache
-- and the shared reads compare it, instead of the WAL position, which every write moves: the
-- background rounds renew their lease rows every 10 s, and an API call writes its audit event.
-- Tables left out (their writes are no page's content): TickLease, AuditEvent, ApiToken,
-- SignInThrottle, and Prisma's migration ledger. A table added later needs the triggers too
-- (tests/integration/db/data-version.test.ts fails until it has them).
CREATE SEQUENCE "restore_drill_data_version";

CREATE FUNCTION "restore_drill_bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('"restore_drill_data_version"');
  RETURN NULL;
END;
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOR t IN
    SELECT tablename FROM pg_tables
    WHERE schemaname = current_schema()
      AND tablename NOT IN ('_prisma_migrations', 'TickLease', 'AuditEvent', 'ApiToken', 'SignInThrottle')
  LOOP
    -- Deferred to the commit: the version moves a moment before the change is visible, never
    -- while the transaction is still running (nor at all if it rolls back).
    EXECUTE format(
      'CREATE CONSTRAINT TRIGGER "restore_drill_data_version" AFTER INSERT OR UPDATE OR DELETE ON %I '
      'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "restore_drill_bump_data_version"()', t);
    EXECUTE format(
      'CREATE TRIGGER "restore_drill_data_version_truncate" AFTER TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION "restore_drill_bump_data_version"()', t);
  END LOOP;
END;
$$;
