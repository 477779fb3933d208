import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { startProcess, type Managed } from "../support/processes";
import globalSetup, { E2E_ADMIN } from "./global-setup";

// Its own server on a fresh database (the fleet spec counts the shared server's hosts exactly).

const run = promisify(execFile);
const MAIN_ENGINE = "unix:///var/run/docker.sock";
const HOST = `events-${process.pid}`;
const BOX = `e2e-events-${process.pid}`;
const SHOTS = process.env.E2E_SCREENSHOTS; // a folder: light and dark screenshots of the page

let server: { url: string; dir: string; databaseUrl: string; teardown: () => Promise<void> };
let agent: Managed | undefined;
const docker = async (...args: string[]) => (await run("docker", ["-H", MAIN_ENGINE, ...args])).stdout.trim();

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const keys = ["E2E_URL", "E2E_DIR", "E2E_DATABASE_URL"] as const;
  const saved = keys.map((k) => process.env[k]);
  const teardown = await globalSetup();
  server = { url: process.env.E2E_URL!, dir: process.env.E2E_DIR!, databaseUrl: process.env.E2E_DATABASE_URL!, teardown };
  keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));

  const { stdout } = await run("npx", ["tsx", "server/cli/main.ts", "host", "enroll", "--name", HOST, "--quiet"], {
    env: { ...process.env, DATABASE_URL: server.databaseUrl },
  });
  const cwd = path.join(server.dir, "agent");
  fs.mkdirSync(cwd, { recursive: true });
  agent = startProcess("node", [path.resolve("dist/portolan-agent.cjs")], {
    cwd,
    env: { PORTOLAN_URL: server.url, PORTOLAN_ENROLL_TOKEN: stdout.trim(), DOCKER_HOST: MAIN_ENGINE, PORTOLAN_STATE_DIR: path.join(cwd, "state") },
    log: path.join(cwd, "agent.log"),
  });
});

test.afterAll(async () => {
  await docker("rm", "-f", BOX).catch(() => undefined);
  await agent?.stop();
  await server?.teardown();
});

async function login(page: Page) {
  await page.goto(server.url + "/login");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Hosts" })).toBeVisible();
}

test("[EVENTS][LIVE]: a container started with the docker CLI shows up on /events without a reload", async ({ page }) => {
  await login(page);
  await expect(page.getByRole("table", { name: "Hosts" }).getByText("online", { exact: true })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" }).click();
  await expect(page).toHaveURL(/\/events$/);
  await expect(page.getByRole("heading", { name: "Events" })).toBeVisible();
  await expect(page.getByRole("status", { name: "Events timeline: Live" })).toBeVisible({ timeout: 15_000 });
  const table = page.getByRole("table", { name: "Events" });
  await expect(table).toHaveAttribute("aria-busy", "false");
  const navigations: string[] = [];
  page.on("framenavigated", (f) => f === page.mainFrame() && navigations.push(f.url()));

  const id = await docker("run", "-d", "--label", "portolan.test=1", "--name", BOX, "local/busybox:latest", "sleep", "1000");
  const actionCell = (action: string) => page.getByRole("cell", { name: action, exact: true });
  const startRow = table.getByRole("row").filter({ hasText: BOX }).filter({ has: actionCell("start") });
  await expect(startRow).toBeVisible({ timeout: 15_000 });
  await expect(startRow).toContainText(HOST);
  await expect(startRow).toContainText("container");
  await expect(startRow).toContainText(id.slice(0, 12));
  expect(navigations).toEqual([]); // it came over the socket, not through a reload

  // The newest event is on top: the start comes after the create.
  const rows = table.getByRole("row").filter({ hasText: BOX });
  await expect(rows.first()).toContainText("start");
  await expect(rows.filter({ has: actionCell("create") })).toHaveCount(1);

  // The server stored it too.
  const conn = new Database(server.databaseUrl.slice("file:".length), { readonly: true });
  try {
    const row = conn.prepare("select type, actorName from DockerEvent where actorId = ? and action = 'start'").get(id);
    expect(row).toEqual({ type: "container", actorName: BOX });
  } finally {
    conn.close();
  }

  // Pause holds new events back; resume shows them.
  await page.getByRole("button", { name: "Pause" }).click();
  await docker("stop", "-t", "0", BOX);
  await expect(page.getByRole("button", { name: /Resume \(\d+ new\)/ })).toBeVisible({ timeout: 15_000 });
  await expect(table.getByRole("row").filter({ hasText: BOX }).filter({ has: actionCell("die") })).toHaveCount(0);
  await page.getByRole("button", { name: /Resume/ }).click();
  await expect(table.getByRole("row").filter({ hasText: BOX }).filter({ has: actionCell("die") })).toBeVisible();

  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, "events-light.png") });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.evaluate(() => document.documentElement.classList.add("dark"));
    await page.screenshot({ path: path.join(SHOTS, "events-dark.png") });
    await page.getByRole("link", { name: HOST }).first().click();
    await expect(page.getByRole("table", { name: "Host events" })).toBeVisible();
    await page.getByRole("heading", { name: "Events" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "host-events-dark.png"), fullPage: true });
  }
});
