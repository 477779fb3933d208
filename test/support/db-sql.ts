import type { Db } from "../../server/db/client";
import { dialectOf } from "../../server/db/dialect";

/**
 * Dialect-specific SQL that tests use to play an attacker or a failing disk (the product never does this).
 */
export async function dropTrigger(db: Db, name: string, table = "AuditEvent"): Promise<void> {
  await db.$executeRawUnsafe(dialectOf(db) === "postgresql" ? `DROP TRIGGER "${name}" ON "${table}"` : `DROP TRIGGER "${name}"`);
}

/** Makes every INSERT into `table` fail with `message` until stopFailingInserts. */
export async function failInserts(db: Db, table: string, message: string): Promise<void> {
  if (dialectOf(db) === "postgresql") {
    await db.$executeRawUnsafe(`CREATE FUNCTION "fail_${table}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER "fail_${table}" BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION "fail_${table}"()`);
  } else {
    await db.$executeRawUnsafe(`CREATE TRIGGER "fail_${table}" BEFORE INSERT ON "${table}" BEGIN SELECT RAISE(ABORT, '${message}'); END`);
  }
}

export async function stopFailingInserts(db: Db, table: string): Promise<void> {
  await dropTrigger(db, `fail_${table}`, table);
  if (dialectOf(db) === "postgresql") await db.$executeRawUnsafe(`DROP FUNCTION "fail_${table}"()`);
}
