import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Applies committed migrations (`prisma migrate deploy`, wasm engine: nothing is downloaded). */
export async function migrateDatabase(databaseUrl: string): Promise<string> {
  const prismaBin = path.resolve("node_modules", ".bin", "prisma");
  const { stdout } = await run(prismaBin, ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    timeout: 120_000,
  });
  return stdout.trim().split("\n").at(-1) ?? "";
}
