import type { Db } from "../../db/client";
import { dialectOf, sqlFor } from "../../db/dialect";
import { bulkWriteSqlite } from "../../db/sqlite-bulk";
import { bucketRow, type BucketStats } from "./rollup-buckets";
import { METRIC_COLUMN, METRIC_NAMES, type MetricName } from "./metric-names";

export const MINUTE_RETENTION_MS = 48 * 3_600_000;
export const HOUR_RETENTION_MS = 90 * 86_400_000;

export type ClosedBucket = { hostId: string; containerId: string; minute: number; stats: BucketStats };
export type HistoryPoint = { t: number; min: number; avg: number; max: number };

const METRIC_COLUMNS = METRIC_NAMES.flatMap((m) => ["Min", "Avg", "Max"].map((s) => `"${METRIC_COLUMN[m]}${s}"`));
const ROW_COLUMNS = [`"tier"`, `"hostId"`, `"containerId"`, `"bucket"`, `"samples"`, ...METRIC_COLUMNS];
// An upsert both providers speak (SQLite 3.24+, PostgreSQL 9.5+): a recomputed bucket replaces the old one.
const UPSERT = `ON CONFLICT ("tier", "hostId", "containerId", "bucket") DO UPDATE SET ${ROW_COLUMNS.slice(4).map((c) => `${c} = excluded.${c}`).join(", ")}`;
const INSERT = `INSERT INTO "MetricRollup" (${ROW_COLUMNS.join(",")})`;
const SQLITE_ROW = `${INSERT} VALUES (${ROW_COLUMNS.map(() => "?").join(",")}) ${UPSERT}`;
// PostgreSQL: rows as one jsonb parameter, unpacked by the server (35 bound values a row cost the
// driver far more). jsonb, not json: parsed once, then each cell is an indexed read.
const PG_TYPES = ["text", "text", "text", "integer", "integer", ...METRIC_COLUMNS.map(() => "double precision")];
const PG_ROWS = `${INSERT} SELECT ${PG_TYPES.map((type, i) => `("row" ->> ${i})::${type}`).join(", ")} FROM jsonb_array_elements($1::jsonb) AS "row" ${UPSERT}`;
const PG_ROWS_PER_STATEMENT = 1_000;

/**
 * Writes closed minute buckets in one transaction: on SQLite a prepared statement per row on a bulk
 * connection (db/sqlite-bulk.ts), on PostgreSQL a thousand rows a statement. 40,000+ rows a minute
 * at 2,000 hosts.
 */
export async function writeMinutes(db: Db, buckets: readonly ClosedBucket[]): Promise<void> {
  if (!buckets.length) return;
  const rows = buckets.map((b) => ["1m", b.hostId, b.containerId, b.minute * 60, b.stats.samples, ...bucketRow(b.stats).flatMap((stats) => stats ?? [null, null, null])]);
  if (dialectOf(db) === "sqlite") return bulkWriteSqlite(db, SQLITE_ROW, rows);
  const statements = [];
  for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) statements.push(db.$executeRawUnsafe(PG_ROWS, JSON.stringify(rows.slice(i, i + PG_ROWS_PER_STATEMENT))));
  await db.$transaction(statements);
}

/**
 * (Re)computes the hour rows of [fromHour, toHour] from the minute rows: min of mins, max of maxes,
 * and averages weighted by each minute's sample count. Idempotent, so the open hour can be refreshed.
 */
export async function rollUpHours(db: Db, fromMs: number, toMs: number): Promise<number> {
  const from = Math.floor(fromMs / 3_600_000) * 3600;
  const to = Math.floor(toMs / 3_600_000) * 3600 + 3600;
  const aggregates = METRIC_NAMES.flatMap((m) => {
    const c = METRIC_COLUMN[m];
    return [`MIN("${c}Min")`, `SUM("${c}Avg" * "samples") / SUM(CASE WHEN "${c}Avg" IS NOT NULL THEN "samples" END)`, `MAX("${c}Max")`];
  });
  // "bucket" is an integer column: "/ 3600" divides as integers on both providers.
  const sql =
    `INSERT INTO "MetricRollup" (${ROW_COLUMNS.join(",")}) ` +
    `SELECT '1h', "hostId", "containerId", ("bucket" / 3600) * 3600, SUM("samples"), ${aggregates.join(",")} ` +
    `FROM "MetricRollup" WHERE "tier" = '1m' AND "bucket" >= ? AND "bucket" < ? GROUP BY "hostId", "containerId", ("bucket" / 3600) ${UPSERT}`;
  return db.$executeRawUnsafe(sqlFor(db, sql), from, to);
}

/** Drops minute rows older than 48 h and hour rows older than 90 days. */
export async function applyRetention(db: Db, now: number): Promise<{ minutes: number; hours: number }> {
  const minutes = await db.$executeRawUnsafe(sqlFor(db, `DELETE FROM "MetricRollup" WHERE "tier" = '1m' AND "bucket" < ?`), Math.floor((now - MINUTE_RETENTION_MS) / 1000));
  const hours = await db.$executeRawUnsafe(sqlFor(db, `DELETE FROM "MetricRollup" WHERE "tier" = '1h' AND "bucket" < ?`), Math.floor((now - HOUR_RETENTION_MS) / 1000));
  return { minutes, hours };
}

/** One metric of one series from a persisted tier, oldest first. */
export async function readTier(
  db: Db,
  q: { tier: "1m" | "1h"; hostId: string; containerId: string; metrics: readonly MetricName[]; from: number; to: number },
): Promise<{ t: number; values: Partial<Record<MetricName, [number, number, number] | null>> }[]> {
  const cols = q.metrics.flatMap((m) => ["Min", "Avg", "Max"].map((s) => `"${METRIC_COLUMN[m]}${s}" AS "${m}${s}"`));
  const rows = await db.$queryRawUnsafe<Record<string, number | bigint | null>[]>(
    sqlFor(db, `SELECT "bucket", ${cols.join(",")} FROM "MetricRollup" WHERE "tier" = ? AND "hostId" = ? AND "containerId" = ? AND "bucket" >= ? AND "bucket" <= ? ORDER BY "bucket"`),
    q.tier, q.hostId, q.containerId, Math.floor(q.from / 1000) - (q.tier === "1m" ? 60 : 3600) + 1, Math.floor(q.to / 1000),
  );
  return rows.map((r) => {
    const values: Partial<Record<MetricName, [number, number, number] | null>> = {};
    for (const m of q.metrics) {
      const min = r[`${m}Min`];
      values[m] = min == null ? null : [Number(min), Number(r[`${m}Avg`]), Number(r[`${m}Max`])];
    }
    return { t: Number(r.bucket) * 1000, values };
  });
}
