import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startProcess } from "../support/processes";

export const E2E_ADMIN = { email: "admin@portolan.test", password: "e2e-admin-password-42" };

/**
 * One real server (production build, fresh SQLite file) for the whole e2e run. Its URL and folder go
 * to the tests through the environment; the returned teardown stops it.
 */
export default async function globalSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: `file:${path.join(dir, "portolan.db")}`,
    PORTOLAN_ADMIN_EMAIL: E2E_ADMIN.email,
    PORTOLAN_ADMIN_PASSWORD: E2E_ADMIN.password,
    PORTOLAN_AGENT_TIMEOUT: "10",
  };
  const log = path.join(dir, "server.log");
  const server = startProcess("npx", ["tsx", "server/index.ts"], { env, log });
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (server.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`server did not start:\n${fs.readFileSync(log, "utf8").slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.env.E2E_URL = url;
  process.env.E2E_DIR = dir;
  process.env.E2E_DATABASE_URL = env.DATABASE_URL;
  return async () => {
    await server.stop();
    if (!process.env.E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  };
}
