import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "./generated/client";
import { PrismaClient as PgPrismaClient } from "./generated-pg/client";
import { databaseProvider } from "./database-url";

/**
 * One type for both providers: the models are the same, so the SQLite client's type stands for the
 * PostgreSQL client too. Where the dialects differ (raw SQL, case-insensitive search, locks) ask
 * `dialectOf(db)` (./dialect).
 */
export type Db = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

export async function openDatabase(databaseUrl: string): Promise<Db> {
  if (databaseProvider(databaseUrl) === "postgresql") {
    // adapter-pg 7.x works with the 6.19 client (6.19's cannot read every column type); its factory type is 7.x's.
    const adapter = new PrismaPg({ connectionString: databaseUrl }) as unknown as NonNullable<ConstructorParameters<typeof PgPrismaClient>[0]>["adapter"];
    return new PgPrismaClient({ adapter }) as unknown as Db;
  }
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
  // WAL: readers never block the writer; busy_timeout: brief lock waits instead of SQLITE_BUSY errors.
  await prisma.$queryRawUnsafe("PRAGMA journal_mode=WAL");
  await prisma.$queryRawUnsafe("PRAGMA busy_timeout=5000");
  return prisma;
}

// Also here for callers that already hold the client module; bundles that must stay light import ./dialect.
export { dialectOf } from "./dialect";
