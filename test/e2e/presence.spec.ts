import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createNetnsLink, removeStaleNetns, type NetnsLink } from "../support/netns";
import { freePort } from "../support/processes";
import type { ProductionServer } from "../support/production-server";
import { e2eDatabaseUrl, enrollToken, loginAt, startE2eServer } from "./own-server";
import { shots } from "./screens";

const DOCKER_HOST = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
const HOST = "presence-host";

// The agent runs in a network namespace this spec made; its link is cut inside it. The server is this
// spec's own (production build), so it can be killed and started again on the same database.
let dir: string;
let port: number;
let server: ProductionServer | null = null;
let link: NetnsLink | null = null;

/** This spec's server, on the same folder and port each time it is started. */
const startServer = () => startE2eServer(dir, { port, env: { PORTOLAN_RECONNECT_GRACE: "30" } });

test.beforeAll(async () => {
  await removeStaleNetns();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-presence-"));
  port = await freePort();
  server = await startServer();
  link = await createNetnsLink({ name: `pt-e2e-${process.pid}`, targetPort: port, dir });
  const token = await enrollToken(e2eDatabaseUrl(dir), HOST);
  link.start("node", [path.resolve("dist/portolan-agent.cjs")], {
    env: { PORTOLAN_URL: link.url, PORTOLAN_ENROLL_TOKEN: token, DOCKER_HOST, PORTOLAN_STATE_DIR: path.join(dir, "agent") },
    log: path.join(dir, "agent.log"),
  });
});

test.afterAll(async () => {
  await link?.close();
  await server?.process.stop();
  if (!process.env.E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
});

const hostRow = (page: Page) => page.getByRole("table", { name: "Hosts" }).getByRole("row").filter({ hasText: HOST });

test("[HOSTS][PRESENCE]: a cut link shows stale then offline live; after a server restart the host shows reconnecting", async ({ page }) => {
  test.setTimeout(240_000);
  const url = `http://127.0.0.1:${port}`;
  await loginAt(url, page);
  await expect(hostRow(page).getByText("online", { exact: true })).toBeVisible({ timeout: 30_000 });

  // Cut: the page is never reloaded; the server's presence nudges update it.
  await link!.cut();
  await expect(hostRow(page).getByText("stale", { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText("1 host · 0 online · 1 stale")).toBeVisible();
  await shots(page, "presence-fleet-stale");
  await expect(hostRow(page).getByText("offline", { exact: true })).toBeVisible({ timeout: 20_000 });
  await page.getByRole("link", { name: HOST, exact: true }).click();
  await expect(page.getByRole("heading", { name: HOST })).toBeVisible();
  await expect(page.getByText("Host offline: showing the last known state.")).toBeVisible();
  await expect(page.getByText(/last seen .*(ago|just now)/)).toBeVisible();
  await shots(page, "presence-host-offline");

  await link!.restore();
  await expect(page.getByText("online", { exact: true }).first()).toBeVisible({ timeout: 30_000 });

  // Server killed while the link is cut again: after the restart the host is expected back (grace).
  await page.getByRole("link", { name: "Hosts" }).first().click();
  await expect(hostRow(page).getByText("online", { exact: true })).toBeVisible();
  await link!.cut();
  process.kill(-server!.pid, "SIGKILL");
  await server!.process.exited;
  server = await startServer();
  await page.reload(); // the session cookie survives the restart
  await expect(hostRow(page).getByText("reconnecting", { exact: true })).toBeVisible({ timeout: 15_000 });
  await shots(page, "presence-fleet-reconnecting");
  // The grace runs out while it is still cut: offline, again without a reload.
  await expect(hostRow(page).getByText("offline", { exact: true })).toBeVisible({ timeout: 40_000 });
  await link!.restore();
  await expect(hostRow(page).getByText("online", { exact: true })).toBeVisible({ timeout: 40_000 });
});
