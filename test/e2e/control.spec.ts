import { shots, openHost as openHostPage } from "./screens";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Browser, type Page } from "@playwright/test";
import type { Managed } from "../support/processes";
import { enrollAgent, loginAt, startOwnServer, type OwnServer } from "./own-server";

// Its own server on a fresh database (the fleet spec counts hosts exactly), one host on the main engine.

const run = promisify(execFile);
const MAIN_ENGINE = "unix:///var/run/docker.sock";
const tag = process.pid;
const HOST = `ctl-${tag}`;
const BOX = `ctl-box-${tag}`;
const RENAMED = `ctl-renamed-${tag}`;
const BULK = [`ctl-bulk-a-${tag}`, `ctl-bulk-b-${tag}`];
const FROM_IMPORT = `ctl-imported-${tag}`;
const IMPORT_REPO = `local/ctl-import-${tag}`;
const VOLUME = `ctl-vol-${tag}`;
const NETWORK = `ctl-net-${tag}`;
const HOST_PORT = String(20000 + (tag % 20000));
/** `sleep` as PID 1 ignores SIGTERM: docker stop and restart wait their 10 s grace period. */
const SLOW = { timeout: 30_000 };
const OPERATOR = { email: `operator-${tag}@portolan.test`, password: "operator-password-1234" };

type Server = OwnServer;
let server: Server;
let hostId = "";
const agents: Managed[] = [];
const url = (p = "") => server.url + p;
const docker = async (...args: string[]) => (await run("docker", ["-H", MAIN_ENGINE, ...args])).stdout.trim();
const inspect = async (ref: string): Promise<Record<string, any> | null> => {
  try {
    return JSON.parse(await docker("inspect", "--type", "container", ref))[0];
  } catch {
    return null;
  }
};
const stateOf = async (ref: string) => (await inspect(ref))?.State?.Status ?? "gone";

/** A busybox rootfs tarball like scripts/import-busybox.sh builds (no image config: a bare `docker import`). */
async function busyboxTarball(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctl-busybox-"));
  const root = path.join(dir, "rootfs");
  for (const d of ["bin", "etc", "tmp", "proc", "sys", "dev"]) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.copyFileSync("/bin/busybox", path.join(root, "bin/busybox"));
  fs.chmodSync(path.join(root, "bin/busybox"), 0o755);
  for (const applet of ["sh", "sleep", "echo", "ls"]) fs.symlinkSync("busybox", path.join(root, "bin", applet));
  const file = path.join(dir, "busybox-rootfs.tar");
  await run("tar", ["--numeric-owner", "--owner=0", "--group=0", "-C", root, "-cf", file, "."]);
  return file;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  server = await startOwnServer();
  agents.push(await enrollAgent(server, HOST, MAIN_ENGINE));
});

test.afterAll(async () => {
  for (const a of agents) await a.stop();
  await docker("rm", "-f", BOX, RENAMED, FROM_IMPORT, ...BULK, `${BOX}-copy`).catch(() => undefined);
  await docker("image", "rm", "-f", `${IMPORT_REPO}:v1`).catch(() => undefined);
  await docker("volume", "rm", "-f", VOLUME).catch(() => undefined);
  await docker("network", "rm", NETWORK).catch(() => undefined);
  await server?.teardown();
});

const login = (page: Page, who?: { email: string; password: string }) => loginAt(server.url, page, who);

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ colorScheme: "light" })).newPage();
}



const row = (page: Page, name: string) => page.getByRole("table", { name: "Containers" }).getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });

test("[CONTROL][CREATE]: a container made in the form has exactly its port binding, memory limit and dropped capability", async ({ browser }) => {
  const page = await newPage(browser);
  await login(page);
  await expect(page.getByRole("table", { name: "Hosts" }).getByRole("link", { name: HOST, exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("table", { name: "Hosts" }).getByRole("row").filter({ hasText: HOST }).getByText("online", { exact: true })).toBeVisible({ timeout: 30_000 });
  hostId = await openHostPage(page, HOST);
  await shots(page, "host-containers-tab");

  await page.getByRole("link", { name: "New container" }).click();
  await expect(page.getByRole("heading", { name: "New container" })).toBeVisible();
  await page.getByLabel("Image", { exact: true }).fill("local/busybox:latest");
  await page.getByLabel("Name", { exact: true }).fill(BOX);
  await page.getByLabel("Command", { exact: true }).fill("sleep 100000");

  await page.getByRole("button", { name: "Add variable" }).click();
  await page.getByLabel("Variable 1 key").fill("GREETING");
  await page.getByLabel("Variable 1 value").fill("s3cret-value");
  await expect(page.getByLabel("Variable 1 value")).toHaveAttribute("type", "password");
  await page.getByRole("button", { name: "Reveal value of GREETING" }).click();
  await expect(page.getByLabel("Variable 1 value")).toHaveAttribute("type", "text");

  await page.getByRole("button", { name: "Add port" }).click();
  await page.getByLabel("Port 1 container port").fill("80");
  await page.getByLabel("Port 1 host port").fill("abc");
  await expect(page.getByText("the host port is a number from 1 to 65535, or empty")).toBeVisible(); // instant client-side message
  await page.getByLabel("Port 1 host port").fill(HOST_PORT);
  await page.getByLabel("Port 1 host IP").fill("127.0.0.1");

  await page.getByLabel("Memory limit").fill("64m");
  await expect(page.getByText("= 64.0 MiB")).toBeVisible();
  await page.getByRole("checkbox", { name: "NET_RAW", exact: true }).uncheck();
  await page.getByRole("button", { name: "Add label" }).click();
  await page.getByLabel("Label 1 key").fill("portolan.test");
  await page.getByLabel("Label 1 value").fill("1");

  // A risky setting shows its risk inline and in the summary; unsetting it clears both.
  await page.getByRole("checkbox", { name: /SYS_ADMIN/ }).check();
  await expect(page.getByRole("region", { name: "Isolation risks" })).toContainText("Adds CAP_SYS_ADMIN");
  await expect(page.getByTestId("privilege-verdict")).toContainText("will accept");
  await shots(page, "create-container-risks");
  await page.getByRole("checkbox", { name: /SYS_ADMIN/ }).uncheck();
  await expect(page.getByRole("region", { name: "Isolation", exact: true })).toContainText("Nothing in this spec weakens");
  await shots(page, "create-container");

  await page.getByRole("button", { name: "Create and start" }).click();
  await expect(page).toHaveURL(/\/hosts\/[^/]+\?highlight=[0-9a-f]{64}$/);
  await expect(row(page, BOX)).toHaveAttribute("data-highlighted", "true");
  await expect(row(page, BOX).getByText("running", { exact: true })).toBeVisible();
  await shots(page, "host-created-highlight");

  const hc = (await inspect(BOX))!.HostConfig;
  expect(hc.PortBindings).toEqual({ "80/tcp": [{ HostIp: "127.0.0.1", HostPort: HOST_PORT }] });
  expect(hc.Memory).toBe(64 * 1024 * 1024);
  expect(hc.CapDrop).toEqual(["NET_RAW"]);
  expect(hc.CapAdd ?? []).toEqual([]);
  expect(hc.Privileged).toBe(false);
  expect((await inspect(BOX))!.Config.Env).toContain("GREETING=s3cret-value");

  // The same name again: the server's CONFLICT is shown by the name field.
  await page.goto(url(`/hosts/${encodeURIComponent(hostId)}/containers/new`));
  await page.getByLabel("Image", { exact: true }).fill("local/busybox:latest");
  await page.getByLabel("Name", { exact: true }).fill(BOX);
  await page.getByRole("button", { name: "Create and start" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Name already taken" })).toBeVisible();
});

test("[CONTROL][DETAILS]: a container's page shows inspect data; Duplicate as new prefills the form", async ({ browser }) => {
  const page = await newPage(browser);
  await login(page);
  hostId = await openHostPage(page, HOST);
  await row(page, BOX).getByRole("link", { name: BOX, exact: true }).click();
  await expect(page.getByRole("heading", { name: BOX })).toBeVisible();
  await expect(page.getByRole("table", { name: "Environment" })).toContainText("GREETING");
  await expect(page.getByRole("table", { name: "Port bindings" })).toContainText(HOST_PORT);
  await expect(page.getByText("NET_RAW")).toBeVisible();
  await shots(page, "container-details");

  await page.getByRole("link", { name: "Duplicate as new" }).click();
  await expect(page.getByRole("heading", { name: "Duplicate container" })).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(`${BOX}-copy`);
  await expect(page.getByLabel("Memory limit")).toHaveValue("64m");
  await expect(page.getByRole("checkbox", { name: "NET_RAW", exact: true })).not.toBeChecked();
  await expect(page.getByLabel("Port 1 host port")).toHaveValue(HOST_PORT);
  await shots(page, "duplicate-container");
});

test("[CONTROL][LIFECYCLE]: stop, start, restart, pause, unpause, rename and remove from the row, each checked with docker inspect", async ({ browser }) => {
  const page = await newPage(browser);
  await login(page);
  hostId = await openHostPage(page, HOST);
  const r = () => row(page, BOX);

  await r().getByRole("button", { name: `Stop ${BOX}`, exact: true }).click();
  await expect.poll(() => stateOf(BOX), SLOW).toBe("exited");
  await expect(r().getByText("exited", { exact: true })).toBeVisible(SLOW);

  await r().getByRole("button", { name: `Start ${BOX}`, exact: true }).click();
  await expect.poll(() => stateOf(BOX), SLOW).toBe("running");
  await expect(r().getByText("running", { exact: true })).toBeVisible();

  const startedBefore = (await inspect(BOX))!.State.StartedAt;
  await r().getByRole("button", { name: `Restart ${BOX}`, exact: true }).click();
  await expect.poll(async () => (await inspect(BOX))!.State.StartedAt, SLOW).not.toBe(startedBefore);
  await expect.poll(() => stateOf(BOX), SLOW).toBe("running");

  await r().getByRole("button", { name: `Pause ${BOX}`, exact: true }).click();
  await expect.poll(() => stateOf(BOX), SLOW).toBe("paused");
  await expect(r().getByText("paused", { exact: true })).toBeVisible();

  await r().getByRole("button", { name: `Unpause ${BOX}`, exact: true }).click();
  await expect.poll(() => stateOf(BOX), SLOW).toBe("running");
  await expect(r().getByText("running", { exact: true })).toBeVisible();

  await r().getByRole("button", { name: `More actions for ${BOX}`, exact: true }).click();
  await shots(page, "row-more-menu");
  await page.getByRole("menuitem", { name: "Rename…" }).click();
  const dialog = page.getByRole("dialog", { name: `Rename ${BOX}` });
  await dialog.getByLabel("New name").fill(RENAMED);
  await shots(page, "rename-dialog");
  await dialog.getByRole("button", { name: "Rename" }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await inspect(RENAMED))?.Name).toBe(`/${RENAMED}`);
  const renamed = row(page, RENAMED);
  await expect(renamed).toBeVisible();

  await renamed.getByRole("button", { name: `Stop ${RENAMED}`, exact: true }).click();
  await expect(renamed.getByText("exited", { exact: true })).toBeVisible(SLOW);
  await renamed.getByRole("button", { name: `Remove ${RENAMED}`, exact: true }).click();
  await renamed.getByRole("group", { name: `Confirm Remove ${RENAMED}` }).getByRole("button", { name: "Confirm remove" }).click();
  await expect.poll(() => stateOf(RENAMED)).toBe("gone");
  await expect(renamed).toHaveCount(0);
});

test("[CONTROL][BULK]: two containers stopped at once from the fleet page, with per-row results and a summary", async ({ browser }) => {
  for (const name of BULK) await docker("run", "-d", "--name", name, "--network", "none", "--label", "portolan.test=1", "local/busybox:latest", "sleep", "100000");
  const page = await newPage(browser);
  await login(page);
  await page.goto(url("/fleet"));
  const table = page.getByRole("table", { name: "Fleet containers" });
  await expect(page.getByLabel("Search")).toHaveCount(1); // one fleet view once hydration settles
  await page.getByLabel("Search").fill(`ctl-bulk-`);
  for (const name of BULK) await expect(table.getByRole("row").filter({ hasText: name }).getByText("running", { exact: true })).toBeVisible();
  await table.getByRole("checkbox", { name: `Select ${BULK[0]}` }).click();
  await table.getByRole("checkbox", { name: `Select ${BULK[1]}` }).click({ modifiers: ["Shift"] });
  const bar = page.getByRole("region", { name: "Bulk actions" });
  await expect(bar).toContainText("2 selected");
  await shots(page, "fleet-bulk-selected");
  await bar.getByRole("button", { name: "Stop selected" }).click();
  await expect(page.getByTestId("bulk-summary")).toHaveText("Stop: 2 ok", SLOW);
  for (const name of BULK) await expect.poll(() => stateOf(name), SLOW).toBe("exited");
  await expect(table.locator("[data-bulk-phase=ok]")).toHaveCount(2);
  await shots(page, "fleet-bulk-done");
  await bar.getByRole("button", { name: "Clear selection" }).click();
  await expect(bar).toHaveCount(0);
});

test("[CONTROL][PRIVILEGED]: an operator is told before submitting that a privileged container will be refused, and the server refuses it", async ({ browser }) => {
  const admin = await newPage(browser);
  await login(admin);
  const call = (procedure: string, input: unknown) =>
    admin.evaluate(
      async ([p, body]) => {
        const res = await fetch(`/api/trpc/${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        return { status: res.status, body: await res.json() };
      },
      [procedure, input] as const,
    );
  const created = await call("users.create", { email: OPERATOR.email, password: OPERATOR.password });
  expect(created.status).toBe(200);
  const grant = await call("grants.create", { userId: created.body.result.data.id, roleId: "role-operator", hostGroupId: "group-all" });
  expect(grant.status).toBe(200);

  const op = await newPage(browser);
  await login(op, OPERATOR);
  const formPath = `/hosts/${encodeURIComponent(hostId)}/containers/new`;
  // The form must come in the page's own flush: a boundary streamed apart is client-rendered when the
  // live socket connects during hydration, while its server copy waits hidden (two Image fields, seen in CI).
  expect(await (await op.request.get(url(formPath))).text()).not.toContain('<div hidden id="S:');
  await op.goto(url(formPath));
  await op.getByLabel("Image", { exact: true }).fill("local/busybox:latest");
  await op.getByLabel("Name", { exact: true }).fill(`ctl-priv-${tag}`);
  await op.getByRole("checkbox", { name: /Privileged/ }).check();
  await expect(op.getByTestId("privilege-verdict")).toContainText("The server will refuse this container");
  await expect(op.getByTestId("privilege-verdict")).toContainText("container:create:privileged");
  await op.getByRole("button", { name: "Create and start" }).click();
  const refusal = op.getByRole("alert").filter({ hasText: "The server refused to create this container" });
  await expect(refusal).toContainText("container:create:privileged");
  await expect(refusal).toContainText("Privileged:");
  await shots(op, "create-privileged-refused");
  expect(await inspect(`ctl-priv-${tag}`)).toBeNull();
});

test("[CONTROL][IMAGES]: a tarball imported through the Images tab runs a container; both removed; volumes and networks tabs", async ({ browser }) => {
  const tarball = await busyboxTarball();
  const page = await newPage(browser);
  await login(page);
  hostId = await openHostPage(page, HOST);
  await page.getByRole("tab", { name: /Images/ }).click();
  await expect(page.getByRole("table", { name: "Images" })).toContainText("local/busybox:latest");
  await page.getByRole("button", { name: "Import tarball" }).click();
  const dialog = page.getByRole("dialog", { name: "Import tarball" });
  await dialog.getByLabel("Tarball").setInputFiles(tarball);
  await dialog.getByLabel("Repository").fill(IMPORT_REPO);
  await dialog.getByLabel("Tag").fill("v1");
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await expect(dialog.getByRole("status")).toContainText(`Imported ${IMPORT_REPO}:v1`, { timeout: 30_000 });
  await expect(dialog.getByRole("progressbar", { name: "Upload" })).toHaveAttribute("aria-valuenow", "100");
  await shots(page, "images-import-done");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("table", { name: "Images" })).toContainText(`${IMPORT_REPO}:v1`);
  expect(await docker("image", "inspect", "--format", "{{.Id}}", `${IMPORT_REPO}:v1`)).toMatch(/^sha256:/);
  await shots(page, "host-images-tab");

  await page.goto(url(`/hosts/${encodeURIComponent(hostId)}/containers/new`));
  // Right after navigation the server-rendered form can briefly sit beside its client render: wait for one.
  await expect(page.getByLabel("Image", { exact: true })).toHaveCount(1);
  await page.getByLabel("Image", { exact: true }).fill(`${IMPORT_REPO}:v1`);
  await page.getByLabel("Name", { exact: true }).fill(FROM_IMPORT);
  await page.getByLabel("Command", { exact: true }).fill("/bin/sleep 100000");
  await page.getByLabel("Network").selectOption("none");
  await page.getByRole("button", { name: "Add label" }).click();
  await page.getByLabel("Label 1 key").fill("portolan.test");
  await page.getByLabel("Label 1 value").fill("1");
  await page.getByRole("button", { name: "Create and start" }).click();
  await expect(row(page, FROM_IMPORT).getByText("running", { exact: true })).toBeVisible();
  expect((await inspect(FROM_IMPORT))!.Config.Image).toBe(`${IMPORT_REPO}:v1`);

  // In use: the Images tab links the container.
  await page.getByRole("tab", { name: /Images/ }).click();
  const imageRow = page.getByRole("table", { name: "Images" }).getByRole("row").filter({ hasText: `${IMPORT_REPO}:v1` });
  await expect(imageRow.getByRole("link", { name: FROM_IMPORT })).toBeVisible();

  await page.getByRole("tab", { name: /Containers/ }).click();
  await row(page, FROM_IMPORT).getByRole("button", { name: `Kill ${FROM_IMPORT}`, exact: true }).click();
  await row(page, FROM_IMPORT).getByRole("button", { name: "Confirm kill" }).click();
  await expect(row(page, FROM_IMPORT).getByText("exited", { exact: true })).toBeVisible();
  await row(page, FROM_IMPORT).getByRole("button", { name: `Remove ${FROM_IMPORT}`, exact: true }).click();
  await row(page, FROM_IMPORT).getByRole("button", { name: "Confirm remove" }).click();
  await expect.poll(() => stateOf(FROM_IMPORT)).toBe("gone");

  await page.getByRole("tab", { name: /Images/ }).click();
  await expect(imageRow.getByRole("link", { name: FROM_IMPORT })).toHaveCount(0);
  await imageRow.getByRole("button", { name: `Remove image ${IMPORT_REPO}:v1` }).click();
  await imageRow.getByRole("button", { name: "Confirm remove" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Removed ${IMPORT_REPO}:v1` })).toBeVisible();
  await expect(imageRow).toHaveCount(0);
  await expect(docker("image", "inspect", `${IMPORT_REPO}:v1`)).rejects.toThrow();

  // Volumes: create with a label, remove.
  await page.getByRole("tab", { name: /Volumes/ }).click();
  await page.getByRole("button", { name: "Create volume" }).click();
  const vol = page.getByRole("dialog", { name: "Create volume" });
  await vol.getByLabel("Name").fill(VOLUME);
  await vol.getByRole("button", { name: "Add label" }).click();
  await vol.getByLabel("Label 1 key").fill("portolan.test");
  await vol.getByLabel("Label 1 value").fill("1");
  await shots(page, "volume-create-dialog");
  await vol.getByRole("button", { name: "Create volume" }).click();
  await expect(vol).toBeHidden();
  await expect(page.getByRole("table", { name: "Volumes" })).toContainText(VOLUME);
  expect(await docker("volume", "inspect", "--format", "{{json .Labels}}", VOLUME)).toBe('{"portolan.test":"1"}');
  await shots(page, "host-volumes-tab");
  await page.getByRole("button", { name: `Remove volume ${VOLUME}` }).click();
  await page.getByRole("button", { name: "Confirm remove" }).click();
  await expect(page.getByRole("table", { name: "Volumes" })).not.toContainText(VOLUME);

  // Networks: create with a subnet, remove.
  await page.getByRole("tab", { name: /Networks/ }).click();
  await page.getByRole("button", { name: "Create network" }).click();
  const net = page.getByRole("dialog", { name: "Create network" });
  await net.getByLabel("Name").fill(NETWORK);
  await net.getByLabel("Subnet").fill("172.31.250.0/24");
  await net.getByLabel("Gateway").fill("172.31.250.1");
  await net.getByRole("checkbox", { name: /Internal/ }).check();
  await net.getByRole("button", { name: "Create network" }).click();
  await expect(net).toBeHidden();
  const netRow = page.getByRole("table", { name: "Networks" }).getByRole("row").filter({ hasText: NETWORK });
  await expect(netRow).toContainText("172.31.250.0/24");
  await expect(netRow).toContainText("internal");
  expect(await docker("network", "inspect", "--format", "{{.Internal}} {{(index .IPAM.Config 0).Subnet}}", NETWORK)).toBe("true 172.31.250.0/24");
  await shots(page, "host-networks-tab");
  await netRow.getByRole("button", { name: `Remove network ${NETWORK}` }).click();
  await netRow.getByRole("button", { name: "Confirm remove" }).click();
  await expect(netRow).toHaveCount(0);
  await expect(docker("network", "inspect", NETWORK)).rejects.toThrow();
});
