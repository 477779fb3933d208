import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { startProcess, type Managed } from "../support/processes";
import { startSecondEngine } from "../support/second-engine";
import { E2E_ADMIN } from "./global-setup";

const run = promisify(execFile);
const url = () => process.env.E2E_URL!;
const dir = () => process.env.E2E_DIR!;
const MAIN_ENGINE = "unix:///var/run/docker.sock";
const WEB = `e2e-web-${process.pid}`;
const LATE = `e2e-late-${process.pid}`;

type Engine = Awaited<ReturnType<typeof startSecondEngine>>;
let engineB: Engine;
const agents: Managed[] = [];
const docker = async (host: string, ...args: string[]) => (await run("docker", ["-H", host, ...args])).stdout.trim();
const db = () => new Database(process.env.E2E_DATABASE_URL!.slice("file:".length), { readonly: true });

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  engineB = await startSecondEngine({ dir: path.join(dir(), "engine-b") });
});
test.afterAll(async () => {
  for (const a of agents) await a.stop();
  await docker(engineB?.dockerHost ?? MAIN_ENGINE, "rm", "-f", WEB, LATE).catch(() => undefined);
  await engineB?.stop();
});

async function login(page: Page) {
  await page.goto(url() + "/login");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Hosts" })).toBeVisible();
}

/** Adds a host through the UI and returns the exact command the dialog shows. */
async function addHost(page: Page, name: string): Promise<string> {
  await page.getByRole("button", { name: "Add host" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add host" });
  await dialog.getByLabel("Host name").fill(name);
  await dialog.getByRole("button", { name: "Create enrollment token" }).click();
  const command = (await dialog.getByLabel("Agent command").textContent())!.trim();
  expect(command).toMatch(/PORTOLAN_ENROLL_TOKEN=pet_[A-Za-z0-9_-]{43}/);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  return command;
}

/** Runs the shown command the way an admin would paste it, in a folder of its own, against one engine. */
function runAgentCommand(command: string, name: string, dockerHost: string): Managed {
  const cwd = path.join(dir(), `agent-${name}`);
  fs.mkdirSync(cwd, { recursive: true });
  const agent = startProcess("bash", ["-c", command], {
    cwd,
    env: { DOCKER_HOST: dockerHost, PORTOLAN_STATE_DIR: path.join(cwd, "state") },
    log: path.join(cwd, "agent.log"),
  });
  agents.push(agent);
  return agent;
}

function hostRow(page: Page, name: string) {
  return page.getByRole("table", { name: "Hosts" }).getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
}

test("[AUTH][LOGIN]: a wrong password is refused with a message; the right one signs in", async ({ page }) => {
  await page.goto(url() + "/hosts");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText(/invalid/i);
  await login(page);
});

test("[HOSTS][ENROLL]: two hosts added through the UI come online with their engines' containers", async ({ page }) => {
  await login(page);
  const commandA = await addHost(page, "engine-a");
  runAgentCommand(commandA, "a", MAIN_ENGINE);
  await expect(hostRow(page, "engine-a").getByText("online", { exact: true })).toBeVisible({ timeout: 30_000 });

  const commandB = await addHost(page, "engine-b");
  expect(commandB).not.toBe(commandA);
  runAgentCommand(commandB, "b", engineB.dockerHost);
  await expect(hostRow(page, "engine-b").getByText("online", { exact: true })).toBeVisible({ timeout: 30_000 });

  // The database agrees: two hosts, both tokens consumed, enrollments audited.
  const conn = db();
  try {
    expect(conn.prepare("select count(*) as n from Host").get()).toEqual({ n: 2 });
    expect(conn.prepare("select count(*) as n from EnrollmentToken where usedAt is not null and hostId is not null").get()).toEqual({ n: 2 });
    expect(conn.prepare("select count(*) as n from AuditEvent where action = 'agent.enroll' and result = 'ok'").get()).toEqual({ n: 2 });
  } finally {
    conn.close();
  }
  // Replaying a used command is refused with a clear message, and the server keeps serving.
  const replay = runAgentCommand(commandA, "a-replay", MAIN_ENGINE);
  expect(await replay.exited).toBe(2);
  expect(fs.readFileSync(path.join(dir(), "agent-a-replay", "agent.log"), "utf8")).toMatch(/already used/);
  await page.reload();
  await expect(hostRow(page, "engine-a").getByText("online", { exact: true })).toBeVisible();
});

test("[FLEET][LIVE]: a container started with the docker CLI appears and changes state live on two pages", async ({ browser }) => {
  const hostPage = await (await browser.newContext()).newPage();
  const fleetPage = await (await browser.newContext()).newPage();
  await login(hostPage);
  await login(fleetPage);
  await hostPage.getByRole("link", { name: "engine-b", exact: true }).click();
  await expect(hostPage.getByRole("heading", { name: "engine-b" })).toBeVisible();
  await fleetPage.goto(url() + "/fleet");
  await expect(fleetPage.getByRole("heading", { name: "Fleet" })).toBeVisible();

  const hostTable = hostPage.getByRole("table", { name: "Containers" });
  const fleetTable = fleetPage.getByRole("table", { name: "Fleet containers" });
  const startedAt = Date.now();
  await docker(engineB.dockerHost, "run", "-d", "--name", WEB, "--network", "none", "--label", "portolan.test=1", "local/busybox:latest", "sleep", "100000");
  const hostRowWeb = hostTable.getByRole("row").filter({ hasText: WEB });
  const fleetRowWeb = fleetTable.getByRole("row").filter({ hasText: WEB });
  await expect(hostRowWeb.getByText("running", { exact: true })).toBeVisible();
  await expect(fleetRowWeb.getByText("running", { exact: true })).toBeVisible();
  console.log(`[FLEET][LIVE] docker run -> visible on both pages: ${Date.now() - startedAt} ms`);
  await expect(fleetRowWeb).toContainText("engine-b");

  const stoppedAt = Date.now();
  await docker(engineB.dockerHost, "stop", "-t", "0", WEB);
  await expect(hostRowWeb.getByText("exited", { exact: true })).toBeVisible();
  await expect(fleetRowWeb.getByText("exited", { exact: true })).toBeVisible();
  console.log(`[FLEET][LIVE] docker stop -> exited on both pages: ${Date.now() - stoppedAt} ms`);

  // Fleet filters: by host and by text.
  await fleetPage.getByLabel("Host", { exact: true }).selectOption({ label: "engine-a" });
  await expect(fleetRowWeb).toHaveCount(0);
  await fleetPage.getByLabel("Host", { exact: true }).selectOption({ label: "engine-b" });
  await fleetPage.getByLabel("Search").fill(WEB);
  await expect(fleetTable.getByRole("row").filter({ hasText: "engine-b" })).toHaveCount(1);
});

test("[HOSTS][PRESENCE]: killing an agent turns the host offline; restarting it resyncs", async ({ page }) => {
  await login(page);
  const agentB = agents[1]!;
  await agentB.stop();
  await expect(hostRow(page, "engine-b").getByText("offline", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(hostRow(page, "engine-b")).toContainText(/ago|just now/);

  // While the agent is away: one container removed, one created. The resync must show exactly that.
  await docker(engineB.dockerHost, "rm", "-f", WEB);
  await docker(engineB.dockerHost, "create", "--name", LATE, "--network", "none", "--label", "portolan.test=1", "local/busybox:latest", "true");
  runAgentCommand(`node ${path.resolve("dist/portolan-agent.cjs")}`, "b", engineB.dockerHost); // enrolled state: no token needed
  await expect(hostRow(page, "engine-b").getByText("online", { exact: true })).toBeVisible({ timeout: 30_000 });

  await page.getByRole("link", { name: "engine-b", exact: true }).click();
  const table = page.getByRole("table", { name: "Containers" });
  await expect(table.getByRole("row").filter({ hasText: LATE })).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: WEB })).toHaveCount(0);
});

test("[API]: hosts.list and containers.list over HTTP with a Bearer token; no token, no data", async ({ request }) => {
  const { stdout } = await run("npx", ["tsx", "server/cli/main.ts", "token", "create", "--email", E2E_ADMIN.email, "--name", "e2e"], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL! },
  });
  const token = stdout.trim();
  expect(token).toMatch(/^pat_/);
  const auth = { authorization: `Bearer ${token}` };

  const hosts = await request.get(`${url()}/api/trpc/hosts.list`, { headers: auth });
  expect(hosts.status()).toBe(200);
  const hostList = (await hosts.json()).result.data as { id: string; name: string; online: boolean; dockerVersion: string | null }[];
  expect(hostList.map((h) => h.name).sort()).toEqual(["engine-a", "engine-b"]);
  expect(hostList.filter((h) => !h.online || !h.dockerVersion), JSON.stringify(hostList)).toEqual([]);

  const hostB = hostList.find((h) => h.name === "engine-b")!;
  const input = encodeURIComponent(JSON.stringify({ hostId: hostB.id }));
  const containers = await request.get(`${url()}/api/trpc/containers.list?input=${input}`, { headers: auth });
  const list = (await containers.json()).result.data as { hostId: string; name: string; state: string }[];
  expect(list).toEqual([expect.objectContaining({ hostId: hostB.id, name: LATE, state: "created" })]);

  const fleet = await request.get(`${url()}/api/trpc/containers.list`, { headers: auth });
  const all = (await fleet.json()).result.data as { hostId: string }[];
  const mainCount = (await docker(MAIN_ENGINE, "ps", "-aq")).split("\n").filter(Boolean).length;
  expect(all.length).toBe(mainCount + 1);

  expect((await request.get(`${url()}/api/trpc/hosts.list`)).status()).toBe(401);
  expect((await request.get(`${url()}/api/trpc/hosts.list?token=${token}`)).status()).toBe(401);
  expect((await request.get(`${url()}/api/trpc/hosts.list`, { headers: { authorization: "Bearer pat_nope" } })).status()).toBe(401);
  const enroll = await request.post(`${url()}/api/trpc/hosts.createEnrollment`, { headers: { ...auth, "content-type": "application/json" }, data: { name: "" } });
  expect(enroll.status()).toBe(400);
});

test("[HOSTS][REVOKE]: an admin revokes a host; its agent is cut off and refused from then on", async ({ page }) => {
  await login(page);
  await page.getByRole("link", { name: "engine-b", exact: true }).click();
  await page.getByRole("button", { name: "Revoke host" }).click();
  await page.getByRole("group", { name: "Confirm revoke" }).getByRole("button", { name: "Confirm revoke" }).click();
  await expect(page).toHaveURL(/\/hosts$/);
  await expect(page.getByRole("link", { name: "engine-b", exact: true })).toHaveCount(0);
  await expect(hostRow(page, "engine-a").getByText("online", { exact: true })).toBeVisible();

  // The running agent of engine-b is disconnected, tries again, is told it is revoked, and exits.
  const agentB = agents.at(-1)!;
  expect(await agentB.exited).toBe(2);
  expect(fs.readFileSync(path.join(dir(), "agent-b", "agent.log"), "utf8")).toMatch(/revoked/);
  const conn = db();
  try {
    expect(conn.prepare("select count(*) as n from Host where name = 'engine-b' and revokedAt is not null").get()).toEqual({ n: 1 });
    expect(conn.prepare("select count(*) as n from AuditEvent where action = 'host.revoke' and result = 'ok'").get()).toEqual({ n: 1 });
  } finally {
    conn.close();
  }
});
