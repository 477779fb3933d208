import { spawn } from "node:child_process";
import path from "node:path";

const REPO = path.resolve(import.meta.dirname, "..", "..", "..");

// Another process (an admin's sqlite3 shell, a backup tool) holding the write lock: BEGIN EXCLUSIVE until told to stop.
const HOLDER = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1]);
db.exec("BEGIN EXCLUSIVE");
process.stdout.write("locked\\n");
process.stdin.once("data", () => { db.exec("COMMIT"); db.close(); process.stdout.write("released\\n"); process.exit(0); });
setTimeout(() => process.exit(2), Number(process.argv[2])); // never outlive the test
`;

export type HeldLock = { release(): Promise<void> };

/** Takes SQLite's exclusive lock on `dbFile` from another process; resolves once it is held. */
export async function holdExclusiveLock(dbFile: string, maxMs = 120_000): Promise<HeldLock> {
  const child = spawn(process.execPath, ["-e", HOLDER, dbFile, String(maxMs)], { cwd: REPO, stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  const seen = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => out.includes(word) && resolve();
      child.stdout.on("data", (d: Buffer) => ((out += d.toString()), check()));
      child.once("exit", (code) => (out.includes(word) ? resolve() : reject(new Error(`lock holder exited (${code}) before "${word}"`))));
      check();
    });
  await seen("locked");
  return {
    async release() {
      child.stdin.write("go\n");
      await seen("released");
    },
  };
}
