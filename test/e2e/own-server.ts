import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, type Page } from "@playwright/test";
import { startProcess, type Managed } from "../support/processes";
import { startProductionServer, type ProductionServer } from "../support/production-server";

const run = promisify(execFile);
/** Where an e2e server in `dir` keeps its database. */
export const e2eDatabaseUrl = (dir: string) => `file:${path.join(dir, "portolan.db")}`;

export const E2E_ADMIN = { email: "admin@portolan.test", password: "e2e-admin-password-42" };

export type OwnServer = { url: string; dir: string; databaseUrl: string; teardown: () => Promise<void> };

/**
 * The e2e server: the production build on the SQLite file `dir`/portolan.db, so one started again on
 * the same folder (and port) finds its hosts and sessions.
 */
export function startE2eServer(dir: string, opts: { port?: number; env?: Record<string, string> } = {}): Promise<ProductionServer> {
  return startProductionServer({
    port: opts.port,
    log: path.join(dir, "server.log"),
    databaseUrl: e2eDatabaseUrl(dir),
    admin: E2E_ADMIN,
    env: { PORTOLAN_AGENT_TIMEOUT: "10", ...opts.env },
    timeoutMs: 90_000,
  });
}

/** A server of its own, in a fresh folder, for one spec file (the shared one is counted exactly by fleet-live.spec.ts). */
export async function startOwnServer(): Promise<OwnServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-e2e-"));
  const server = await startE2eServer(dir);
  const teardown = async () => {
    await server.process.stop();
    if (!process.env.E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  };
  return { url: server.url, dir, databaseUrl: e2eDatabaseUrl(dir), teardown };
}

/** A one-time enrollment token from the CLI, for a host named `name`. */
export async function enrollToken(databaseUrl: string, name: string): Promise<string> {
  const { stdout } = await run("npx", ["tsx", "server/cli/main.ts", "host", "enroll", "--name", name, "--quiet"], { env: { ...process.env, DATABASE_URL: databaseUrl } });
  return stdout.trim();
}

/** Enrolls a host with the CLI's one-time token and runs the bundled agent against one engine. */
export async function enrollAgent(server: OwnServer, name: string, dockerHost: string): Promise<Managed> {
  const token = await enrollToken(server.databaseUrl, name);
  const cwd = path.join(server.dir, `agent-${name}`);
  fs.mkdirSync(cwd, { recursive: true });
  return startProcess("node", [path.resolve("dist/portolan-agent.cjs")], {
    cwd,
    env: { PORTOLAN_URL: server.url, PORTOLAN_ENROLL_TOKEN: token, DOCKER_HOST: dockerHost, PORTOLAN_STATE_DIR: path.join(cwd, "state") },
    log: path.join(cwd, "agent.log"),
  });
}

/** Signs in through the login form and waits for the hosts page. */
export async function loginAt(baseUrl: string, page: Page, who: { email: string; password: string } = E2E_ADMIN): Promise<void> {
  await page.goto(baseUrl + "/login");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Hosts" })).toBeVisible();
}
