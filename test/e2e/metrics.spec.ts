import { shots } from "./screens";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import type { Managed } from "../support/processes";
import { enrollAgent, loginAt, startOwnServer, type OwnServer } from "./own-server";

// Its own server and a real agent (the bundle) on the main engine, with a CPU burner to look at.
const run = promisify(execFile);
const MAIN_ENGINE = "unix:///var/run/docker.sock";
const HOST = `metrics-${process.pid}`;
const BURNER = `e2e-metrics-burner-${process.pid}`;
const docker = async (...args: string[]) => (await run("docker", ["-H", MAIN_ENGINE, ...args])).stdout.trim();

let server: OwnServer;
let agent: Managed | undefined;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  server = await startOwnServer();
  await docker("rm", "-f", BURNER).catch(() => undefined);
  await docker("run", "-d", "--label", "portolan.test=1", "--network", "none", "--memory", "64m", "--name", BURNER, "local/busybox:latest", "sh", "-c", "while :; do :; done");
  agent = await enrollAgent(server, HOST, MAIN_ENGINE);
});

test.afterAll(async () => {
  await docker("rm", "-f", BURNER).catch(() => undefined);
  await agent?.stop();
  await server?.teardown();
});


const points = async (page: Page, title: string) => Number(await page.getByRole("figure", { name: title }).getAttribute("data-points"));

test("[METRICS][LIVE]: the host's Metrics tab draws live CPU, memory, network and disk charts", async ({ page }) => {
  await loginAt(server.url, page);
  await page.getByRole("table", { name: "Hosts" }).getByRole("link", { name: HOST, exact: true }).click({ timeout: 30_000 });
  await expect(page.getByRole("heading", { name: HOST })).toBeVisible();

  // Sparklines in the containers table, fed by the same live ticks.
  const row = page.getByRole("table", { name: "Containers" }).getByRole("row").filter({ has: page.getByRole("link", { name: BURNER, exact: true }) });
  await expect(row.getByRole("img", { name: new RegExp(`^${BURNER} CPU, last minutes; now \\d`) })).toBeVisible({ timeout: 20_000 });

  await page.getByRole("tab", { name: "Metrics" }).click();
  await expect(page).toHaveURL(/tab=metrics/);
  for (const title of ["CPU (% of host)", "Memory", "Network", "Disk I/O"]) {
    await expect(page.getByRole("figure", { name: title }).locator("canvas")).toBeVisible();
  }
  await expect(page.getByText(/every 1 s · read from cgroup v1 files/)).toBeVisible({ timeout: 15_000 });
  // Live without reloads: the chart gains points as ticks arrive over the socket.
  await expect.poll(() => points(page, "CPU (% of host)"), { timeout: 15_000 }).toBeGreaterThan(2);
  const before = await points(page, "CPU (% of host)");
  await expect.poll(() => points(page, "CPU (% of host)"), { timeout: 10_000 }).toBeGreaterThan(before + 1);
  await expect(page.getByRole("group", { name: "CPU per core" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Disk usage" })).toContainText("/");
  await shots(page, "metrics-host-live", { settleMs: 300 });

  // History: the persisted minute tier (a fresh database may have no closed minute yet: then an explicit empty state).
  await page.getByRole("radio", { name: "24 h" }).click();
  await expect(page.getByText(/^1-minute min\/avg\/max/)).toBeVisible();
  await expect(page.getByText(/No history for this range yet/).or(page.getByRole("figure", { name: "CPU (% of host)" }).locator("canvas"))).toBeVisible();
  await page.getByRole("radio", { name: "Live" }).click();
  await expect(page.getByRole("figure", { name: "CPU (% of host)" }).locator("canvas")).toBeVisible();
});

test("[METRICS][CONTAINER]: a container's Metrics tab shows its detail, and the fleet lists it as a top consumer", async ({ page }) => {
  await loginAt(server.url, page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Fleet" }).click();
  const top = page.getByRole("list", { name: "CPU (% of host)" });
  await expect(top.getByRole("link", { name: new RegExp(BURNER) })).toBeVisible({ timeout: 20_000 });
  const fleetRow = page.getByRole("table", { name: "Fleet containers" }).getByRole("row").filter({ hasText: BURNER });
  await expect(fleetRow.getByRole("img", { name: new RegExp(`^${BURNER} memory, last minutes; now \\d`) })).toBeVisible({ timeout: 15_000 });
  await shots(page, "metrics-fleet", { settleMs: 300 });

  await top.getByRole("link", { name: new RegExp(BURNER) }).first().click();
  await page.getByRole("tab", { name: "Metrics" }).click();
  const now = page.getByLabel("Container now");
  await expect(now).toContainText("cgroup-v1", { timeout: 15_000 }); // full detail arrives once watched
  await expect(now).toContainText("/ 64.0 MiB"); // the --memory limit
  await expect.poll(() => points(page, "Processes"), { timeout: 15_000 }).toBeGreaterThan(1);
  await shots(page, "metrics-container", { settleMs: 300 });
});
