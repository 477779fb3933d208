import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { databaseProvider, resolveDatabaseUrl } from "./server/db/database-url";

// DATABASE_URL picks the provider: file:… is SQLite (prisma/), postgresql://… is PostgreSQL
// (prisma/postgres/, generated from prisma/schema.prisma by `npm run db:schemas`).
const url = resolveDatabaseUrl();
process.env.DATABASE_URL = url;
const postgres = databaseProvider(url) === "postgresql";
const dir = postgres ? path.join("prisma", "postgres") : "prisma";

export default defineConfig({
  schema: path.join(dir, "schema.prisma"),
  migrations: { path: path.join(dir, "migrations") },
  experimental: { adapter: true },
  engine: "js",
  // adapter-pg 7.x serves the 6.19 CLI (6.19's cannot read the `name` column type); its factory type is 7.x's.
  adapter: async () => (postgres ? (new PrismaPg({ connectionString: url }) as unknown as PrismaBetterSQLite3) : new PrismaBetterSQLite3({ url })),
});
