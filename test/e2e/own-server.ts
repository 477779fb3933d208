import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect, type Page } from "@playwright/test";
import { startProcess, type Managed } from "../support/processes";
import globalSetup, { E2E_ADMIN } from "./global-setup";

const run = promisify(execFile);

export type OwnServer = { url: string; dir: string; databaseUrl: string; teardown: () => Promise<void> };

/**
 * global-setup's server, started again for one spec file (the shared one is counted exactly by
 * fleet-live.spec.ts); the shared server's environment is put back.
 */
export async function startOwnServer(): Promise<OwnServer> {
  const keys = ["E2E_URL", "E2E_DIR", "E2E_DATABASE_URL"] as const;
  const saved = keys.map((k) => process.env[k]);
  const teardown = await globalSetup();
  const own = { url: process.env.E2E_URL!, dir: process.env.E2E_DIR!, databaseUrl: process.env.E2E_DATABASE_URL!, teardown };
  keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
  return own;
}

/** Enrolls a host with the CLI's one-time token and runs the bundled agent against one engine. */
export async function enrollAgent(server: OwnServer, name: string, dockerHost: string): Promise<Managed> {
  const { stdout } = await run("npx", ["tsx", "server/cli/main.ts", "host", "enroll", "--name", name, "--quiet"], {
    env: { ...process.env, DATABASE_URL: server.databaseUrl },
  });
  const cwd = path.join(server.dir, `agent-${name}`);
  fs.mkdirSync(cwd, { recursive: true });
  return startProcess("node", [path.resolve("dist/portolan-agent.cjs")], {
    cwd,
    env: { PORTOLAN_URL: server.url, PORTOLAN_ENROLL_TOKEN: stdout.trim(), DOCKER_HOST: dockerHost, PORTOLAN_STATE_DIR: path.join(cwd, "state") },
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
