import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Browser, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import type { Managed } from "../support/processes";
import { startSecondEngine } from "../support/second-engine";
import { E2E_ADMIN } from "./global-setup";
import { enrollAgent, loginAt, startOwnServer, type OwnServer } from "./own-server";

// This file runs its own server on a fresh database: the fleet spec counts hosts and enrollments
// exactly, so the hosts enrolled here must not reach the shared server.

const run = promisify(execFile);
const MAIN_ENGINE = "unix:///var/run/docker.sock";
const SHOTS = "/tmp/shots";
const tag = process.pid;
const HOST_A = `access-a-${tag}`;
const HOST_B = `access-b-${tag}`;
const BOX_A = `access-box-a-${tag}`;
const BOX_B = `access-box-b-${tag}`;
const MEMBER = { email: `member-${tag}@portolan.test`, name: "Mia Member", password: "member-password-1234" };
const TEAM = `ops-${tag}`;
const GROUP = `only-a-${tag}`;

type Server = OwnServer;
let server: Server;
let engineB: Awaited<ReturnType<typeof startSecondEngine>>;
const agents: Managed[] = [];
const docker = async (host: string, ...args: string[]) => (await run("docker", ["-H", host, ...args])).stdout.trim();
const db = () => new Database(server.databaseUrl.slice("file:".length), { readonly: true });
const url = (p = "") => server.url + p;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startOwnServer();
  engineB = await startSecondEngine({ dir: path.join(server.dir, "engine-b") });
  await docker(MAIN_ENGINE, "run", "-d", "--name", BOX_A, "--network", "none", "--label", "portolan.test=1", "local/busybox:latest", "sleep", "100000");
  await docker(engineB.dockerHost, "run", "-d", "--name", BOX_B, "--network", "none", "--label", "portolan.test=1", "local/busybox:latest", "sleep", "100000");
  agents.push(await enrollAgent(server, HOST_A, MAIN_ENGINE));
  agents.push(await enrollAgent(server, HOST_B, engineB.dockerHost));
});

test.afterAll(async () => {
  for (const a of agents) await a.stop();
  await docker(MAIN_ENGINE, "rm", "-f", BOX_A).catch(() => undefined);
  await engineB?.stop();
  await server?.teardown();
});

const login = (page: Page, who?: { email: string; password: string }) => loginAt(server.url, page, who);

async function newPage(browser: Browser, colorScheme: "light" | "dark" = "light"): Promise<Page> {
  return (await browser.newContext({ colorScheme })).newPage();
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const hostLink = (page: Page, name: string) => page.getByRole("table", { name: "Hosts" }).getByRole("link", { name, exact: true });
const fleetRow = (page: Page, text: string) => page.getByRole("table", { name: "Fleet containers" }).getByRole("row").filter({ hasText: text });

test("[ACCESS][GRANTS]: a team granted viewer on a one-host group sees that host only, cannot act, and loses it live", async ({ browser }) => {
  const admin = await newPage(browser);
  await login(admin);
  await expect(hostLink(admin, HOST_A)).toBeVisible({ timeout: 30_000 });
  await expect(hostLink(admin, HOST_B)).toBeVisible({ timeout: 30_000 });

  // User, through the UI.
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(admin.getByRole("heading", { name: "Users" })).toBeVisible();
  await admin.getByRole("button", { name: "Create user" }).click();
  const createUser = admin.getByRole("dialog", { name: "Create user" });
  await createUser.getByLabel("Email").fill(MEMBER.email);
  await createUser.getByLabel("Name", { exact: true }).fill(MEMBER.name);
  await createUser.getByLabel("Initial password").fill("too-short");
  await createUser.getByRole("button", { name: "Create user" }).click();
  await expect(createUser).toBeVisible(); // the browser refuses a password under 12 characters
  await createUser.getByLabel("Initial password").fill(MEMBER.password);
  await createUser.getByRole("button", { name: "Create user" }).click();
  await expect(createUser).toBeHidden();
  await expect(admin.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: MEMBER.email })).toContainText("enabled");

  // Team with the user in it.
  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Teams" }).click();
  await admin.getByRole("button", { name: "Create team" }).first().click();
  const createTeam = admin.getByRole("dialog", { name: "Create team" });
  await createTeam.getByLabel("Name", { exact: true }).fill(TEAM);
  await createTeam.getByRole("button", { name: "Create team" }).click();
  await expect(createTeam).toBeHidden();
  await admin.getByLabel(`Add member to ${TEAM}`).selectOption({ label: MEMBER.email });
  await admin.getByRole("row").filter({ hasText: TEAM }).getByRole("button", { name: "Add", exact: true }).click();
  await expect(admin.getByRole("list", { name: `Members of ${TEAM}` })).toContainText(MEMBER.email);

  // Host group with host A only.
  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Host groups" }).click();
  await admin.getByRole("button", { name: "Create host group" }).click();
  const createGroup = admin.getByRole("dialog", { name: "Create host group" });
  await createGroup.getByLabel("Name", { exact: true }).fill(GROUP);
  await createGroup.getByRole("checkbox", { name: new RegExp(`^${HOST_A}`) }).check();
  await createGroup.getByRole("button", { name: "Create group" }).click();
  await expect(createGroup).toBeHidden();
  await expect(admin.getByRole("list", { name: `Hosts in ${GROUP}` })).toHaveText(HOST_A);

  // Grant the team "viewer" on that group.
  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Teams" }).click();
  await admin.getByRole("button", { name: `Add grant to ${TEAM}` }).click();
  const addGrant = admin.getByRole("dialog", { name: `Add grant to ${TEAM}` });
  await addGrant.getByLabel("Role").selectOption({ label: "viewer (built-in)" });
  await addGrant.getByLabel("Host group").selectOption({ label: GROUP });
  await addGrant.getByRole("button", { name: "Add grant" }).click();
  await expect(addGrant).toBeHidden();
  const grantChip = `viewer @ ${GROUP}`;
  await expect(admin.getByRole("list", { name: `Grants of ${TEAM}` })).toContainText(grantChip);
  const conn = db();
  try {
    expect(
      conn.prepare("select count(*) as n from \"Grant\" g join Team t on t.id = g.teamId join HostGroup h on h.id = g.hostGroupId where t.name = ? and h.name = ? and g.roleId = 'role-viewer' and g.userId is null").get(TEAM, GROUP),
    ).toEqual({ n: 1 });
  } finally {
    conn.close();
  }

  // The admin sees both hosts' containers; the member only host A's.
  await admin.goto(url("/fleet"));
  await expect(fleetRow(admin, BOX_B)).toHaveCount(1, { timeout: 30_000 });
  const member = await newPage(browser);
  await login(member, MEMBER);
  await expect(hostLink(member, HOST_A)).toBeVisible();
  await expect(member.getByRole("table", { name: "Hosts" }).getByRole("link")).toHaveCount(1);
  await expect(member.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  await member.goto(url("/fleet"));
  await expect(fleetRow(member, BOX_A).getByText("running", { exact: true })).toBeVisible();
  await expect(fleetRow(member, HOST_B)).toHaveCount(0);
  await expect(fleetRow(member, BOX_B)).toHaveCount(0);
  await expect(member.getByRole("status", { name: "Live updates connected" })).toBeVisible();

  // A viewer has no container actions (the admin does), and the server refuses the action anyway.
  await expect(fleetRow(admin, BOX_A).getByRole("button", { name: `Stop ${BOX_A}`, exact: true })).toBeVisible();
  await expect(member.getByRole("button", { name: /^Stop / })).toHaveCount(0);
  await expect(member.getByRole("button", { name: /^(Restart|Pause|Kill|Remove) / })).toHaveCount(0);
  const boxA = ((await (await member.request.get(url("/api/trpc/containers.list"))).json()).result.data as { id: string; name: string; hostName: string }[]).find((c) => c.name === BOX_A)!;
  expect(boxA.hostName).toBe(HOST_A);
  const refused = await member.evaluate(async (containerId) => {
    const res = await fetch("/api/trpc/containers.action", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ containerId, action: "stop" }) });
    return { status: res.status, body: await res.text() };
  }, boxA.id);
  expect(refused.status, refused.body).toBe(403);
  expect(refused.body).toContain("container:stop");
  expect(await docker(MAIN_ENGINE, "inspect", "-f", "{{.State.Status}}", BOX_A)).toBe("running");

  // The admin removes the grant while the member watches /fleet: the page follows without a reload.
  await member.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await admin.goto(url("/admin/teams"));
  await admin.getByRole("button", { name: `Remove grant ${grantChip} from ${TEAM}` }).click();
  await expect(admin.getByRole("list", { name: `Grants of ${TEAM}` })).not.toContainText(grantChip);
  await expect(member.getByRole("status", { name: /no longer have access to any host/ })).toBeVisible({ timeout: 5_000 });
  await expect(fleetRow(member, BOX_A)).toHaveCount(0, { timeout: 5_000 });
  await expect(member.getByText(/You no longer have access to these containers|You have no access to any host yet/)).toBeVisible();
  expect(await member.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await shot(member, "member-fleet-access-removed");
  await member.reload();
  await expect(fleetRow(member, BOX_A)).toHaveCount(0);
  await expect(member.getByText(/You have no access to any host yet/)).toBeVisible();

  // The admin stops and starts the container from the fleet table: the real engine follows, live.
  await admin.goto(url("/fleet"));
  const rowA = fleetRow(admin, BOX_A);
  await rowA.getByRole("button", { name: `Stop ${BOX_A}`, exact: true }).click();
  await expect(rowA.getByText("exited", { exact: true })).toBeVisible({ timeout: 30_000 });
  expect(await docker(MAIN_ENGINE, "inspect", "-f", "{{.State.Status}}", BOX_A)).toBe("exited");
  await rowA.getByRole("button", { name: `Start ${BOX_A}`, exact: true }).click();
  await expect(rowA.getByText("running", { exact: true })).toBeVisible({ timeout: 30_000 });
  expect(await docker(MAIN_ENGINE, "inspect", "-f", "{{.State.Status}}", BOX_A)).toBe("running");
  const actions = db();
  try {
    const rows = actions.prepare("select action, result from AuditEvent where action in ('container.stop', 'container.start') order by id").all();
    expect(rows).toEqual([
      { action: "container.stop", result: "requested" },
      { action: "container.stop", result: "ok" },
      { action: "container.start", result: "requested" },
      { action: "container.start", result: "ok" },
    ]);
  } finally {
    actions.close();
  }
});

test("[ACCESS][TOKENS]: a narrowed token is shown once, reaches only its group's host, and stops working when revoked", async ({ page, request }) => {
  await login(page);
  await page.getByRole("link", { name: E2E_ADMIN.email }).click();
  await expect(page.getByRole("heading", { name: "Account settings" })).toBeVisible();
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API token" });
  const name = `narrow-${tag}`;
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Expires after (days)").fill("7");
  await dialog.getByLabel("Limit permissions").check();
  await dialog.getByRole("checkbox", { name: /^host:read / }).check();
  await dialog.getByRole("checkbox", { name: /^container:read / }).check();
  await dialog.getByLabel("Limit to host groups").check();
  await dialog.getByRole("group", { name: "Token host groups" }).getByRole("checkbox", { name: GROUP, exact: true }).check();
  await shot(page, "settings-create-token-light");
  await dialog.getByRole("button", { name: "Create token" }).click();

  const created = page.getByRole("dialog", { name: "Token created" });
  const token = (await created.getByLabel("New API token").textContent())!.trim();
  expect(token).toMatch(/^pat_/);
  await expect(created.getByRole("note")).toContainText("only time");
  await shot(page, "settings-token-created-light");
  await created.getByRole("button", { name: "Done" }).click();
  await expect(created).toBeHidden();
  await expect(page.getByText(token)).toHaveCount(0);
  const row = page.getByRole("table", { name: "My API tokens" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("active");
  await expect(row).toContainText("2 permissions");
  await expect(row).toContainText(GROUP);
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);

  const auth = { authorization: `Bearer ${token}` };
  const hosts = await request.get(url("/api/trpc/hosts.list"), { headers: auth });
  expect(hosts.status()).toBe(200);
  expect(((await hosts.json()).result.data as { name: string }[]).map((h) => h.name)).toEqual([HOST_A]);
  const containers = await request.get(url("/api/trpc/containers.list"), { headers: auth });
  const names = ((await containers.json()).result.data as { name: string; hostName: string }[]).map((c) => c.hostName);
  expect(names.length).toBeGreaterThan(0);
  expect(new Set(names)).toEqual(new Set([HOST_A]));
  // Narrowed to host:read and container:read: no audit log, even for an admin's token.
  expect((await request.get(url("/api/trpc/audit.list"), { headers: auth })).status()).toBe(403);

  await row.getByRole("button", { name: `Revoke token ${name}` }).click();
  await row.getByRole("group", { name: `Confirm Revoke token ${name}` }).getByRole("button", { name: "Confirm revoke" }).click();
  await expect(row).toContainText("revoked");
  expect((await request.get(url("/api/trpc/hosts.list"), { headers: auth })).status()).toBe(401);
});

test("[AUDIT]: refusals are highlighted, filters narrow the log, the chain verifies", async ({ page }) => {
  await login(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  const log = page.getByRole("table", { name: "Audit log" });
  await expect(log.getByRole("row").filter({ hasText: "authz.denied" }).filter({ hasText: MEMBER.email }).first()).toContainText("denied");
  await page.getByLabel("Action").fill("grant.");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(log.getByRole("row").filter({ hasText: "grant.create" })).toHaveCount(1);
  await expect(log.getByRole("row").filter({ hasText: "grant.delete" })).toHaveCount(1);
  await expect(log.getByRole("row").filter({ hasText: "authz.denied" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", "/api/audit/export?format=csv&action=grant.");
  const csv = await page.request.get(url((await page.getByRole("link", { name: "Export CSV" }).getAttribute("href"))!));
  expect(csv.status()).toBe(200);
  const body = await csv.text();
  expect(body).toContain("grant.create");
  expect(body).not.toContain("authz.denied");
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByRole("alert")).toContainText("Audit chain intact");
});

test("[SCREENS]: every new page renders in light and dark", async ({ browser }) => {
  for (const scheme of ["light", "dark"] as const) {
    const page = await newPage(browser, scheme);
    await login(page);
    for (const [p, heading] of [
      ["/admin/users", "Users"],
      ["/admin/teams", "Teams"],
      ["/admin/roles", "Roles"],
      ["/admin/host-groups", "Host groups"],
      ["/audit", "Audit log"],
      ["/settings", "Account settings"],
      ["/fleet", "Fleet"],
    ] as const) {
      await page.goto(url(p));
      await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
      await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
      await shot(page, `${p.slice(1).replaceAll("/", "-")}-${scheme}`);
    }
    await page.goto(url("/admin/roles"));
    await page.getByRole("button", { name: "Create role" }).click();
    await expect(page.getByRole("checkbox", { name: /^host:read / })).toBeVisible();
    await shot(page, `role-dialog-${scheme}`);
    await page.goto(url("/admin/users"));
    await page.getByRole("button", { name: `Manage ${MEMBER.email}` }).click();
    await expect(page.getByRole("dialog", { name: MEMBER.email })).toBeVisible();
    await shot(page, `manage-user-${scheme}`);
    await page.context().close();
  }
});
