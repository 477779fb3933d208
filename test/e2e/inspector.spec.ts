import { shots, openHost as openHostPage } from "./screens";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { freePort, type Managed } from "../support/processes";
import { enrollAgent, loginAt, startOwnServer, type OwnServer } from "./own-server";

// Its own server and one agent on the main engine; a privileged container (created: this sandbox's engine
// may not start it) and a web container publishing a port on 127.0.0.1.

const run = promisify(execFile);
const MAIN_ENGINE = "unix:///var/run/docker.sock";
const tag = process.pid;
const HOST = `insp-${tag}`;
const PRIV = `insp-priv-${tag}`;
const WEB = `insp-web-${tag}`;
let port = 0;
let server: OwnServer;
let agent: Managed | null = null;
const docker = async (...args: string[]) => (await run("docker", ["-H", MAIN_ENGINE, ...args])).stdout.trim();

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  port = await freePort();
  await docker("create", "--label", "portolan.test=1", "--name", PRIV, "--privileged", "local/busybox:latest", "sleep", "600");
  await docker("run", "-d", "--label", "portolan.test=1", "--name", WEB, "-p", `127.0.0.1:${port}:80`, "local/busybox:latest", "httpd", "-f", "-p", "80");
  server = await startOwnServer();
  agent = await enrollAgent(server, HOST, MAIN_ENGINE);
});

test.afterAll(async () => {
  await agent?.stop();
  await docker("rm", "-f", PRIV, WEB).catch(() => undefined);
  await server?.teardown();
});

async function newPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ colorScheme: "light" })).newPage();
  await loginAt(server.url, page);
  return page;
}



test("[INSPECT][POSTURE]: the fleet posture page lists the privileged container as critical", async ({ browser }) => {
  const page = await newPage(browser);
  await expect(page.getByRole("table", { name: "Hosts" }).getByRole("row").filter({ hasText: HOST }).getByText("online", { exact: true })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Posture" }).click();
  await expect(page.getByRole("heading", { name: "Posture" })).toBeVisible();

  const exposed = page.getByRole("list", { name: "Containers that could escape or see the host" }).getByRole("listitem").filter({ hasText: PRIV });
  await expect(exposed).toContainText("critical", { timeout: 30_000 });
  await expect(exposed).toContainText("Privileged container");

  await page.getByLabel("Search", { exact: true }).fill(PRIV);
  const privileged = page.getByRole("table", { name: "Findings" }).getByRole("row").filter({ hasText: "CIS-5.4" });
  await expect(privileged).toHaveCount(1);
  await expect(privileged).toContainText("critical");
  await expect(privileged).toContainText(PRIV);
  await expect(privileged).toContainText("HostConfig.Privileged");
  // The plain web container has no critical finding.
  await page.getByLabel("Search", { exact: true }).fill(WEB);
  await page.getByLabel("Severity", { exact: true }).selectOption("critical");
  await expect(page.getByRole("table", { name: "Findings" })).toContainText("No findings match.");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await shots(page, "inspector-posture");
});

test("[INSPECT][NETWORK]: the host's network picture shows the published port going to its container", async ({ browser }) => {
  const page = await newPage(browser);
  await openHostPage(page, HOST);
  await page.getByRole("tab", { name: "Network", exact: true }).click();
  const picture = page.getByRole("img", { name: "Network picture" });
  await expect(picture).toContainText(`127.0.0.1:${port} → 80/tcp`, { timeout: 30_000 });
  await expect(picture).toContainText(WEB);
  await expect(picture).toContainText("docker0");
  const dnat = page.getByRole("table", { name: "NAT rules" }).getByRole("row").filter({ hasText: `--dport ${port}` });
  await expect(dnat).toContainText(WEB);
  await shots(page, "inspector-network");

  // Delete that DNAT rule by hand: the binding is drawn as drift and the alert names it; then put it back.
  const rule = (await run("iptables-save", ["-t", "nat"])).stdout.split("\n").find((l) => l.startsWith("-A DOCKER ") && l.includes(`--dport ${port} `))!;
  const args = rule.split(" ").slice(2);
  await run("iptables", ["-t", "nat", "-D", "DOCKER", ...args]);
  try {
    await page.reload();
    await expect(picture).toContainText(`127.0.0.1:${port} → 80/tcp (no DNAT rule)`, { timeout: 30_000 });
    await expect(page.getByRole("alert").filter({ hasText: "NAT drift" })).toContainText(`${WEB} publishes 127.0.0.1:${port} → 80/tcp but no DNAT rule forwards it.`);
    await shots(page, "inspector-network-drift");
  } finally {
    await run("iptables", ["-t", "nat", "-A", "DOCKER", ...args]);
  }
});

test("[INSPECT][ISOLATION]: a container's isolation and its live process tree", async ({ browser }) => {
  const page = await newPage(browser);
  await openHostPage(page, HOST);
  await page.getByRole("table", { name: "Containers" }).getByRole("link", { name: WEB, exact: true }).click();
  await page.getByRole("tab", { name: "Isolation" }).click();
  const ns = page.getByRole("table", { name: "Namespaces" });
  await expect(ns.getByRole("row").filter({ hasText: /^net/ })).toContainText("own");
  await expect(page.getByRole("list", { name: "Capabilities" })).toContainText("NET_RAW");
  await shots(page, "inspector-isolation");
  await page.getByRole("tab", { name: "Processes" }).click();
  const pid = await docker("inspect", "-f", "{{.State.Pid}}", WEB);
  await expect(page.getByRole("table", { name: "Processes" }).getByRole("row").filter({ hasText: "httpd -f -p 80" })).toContainText(pid);
  await shots(page, "inspector-processes");
});
