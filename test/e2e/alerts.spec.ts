import { shots as screenshots } from "./screens";
import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import type { Managed } from "../support/processes";
import { E2E_ADMIN } from "./global-setup";
import { enrollAgent, loginAt, startOwnServer, type OwnServer } from "./own-server";

// Its own server and agent on the main engine; a webhook receiver on 127.0.0.1.

const run = promisify(execFile);
const MAIN_ENGINE = "unix:///var/run/docker.sock";
const RUN = `e2e-alerts-${process.pid}`;
const HOST = `alerts-${process.pid}`;
const BOX = `${RUN}-web`;

let server: OwnServer;
let agent: Managed | undefined;
let receiver: http.Server;
let hookUrl = "";
const received: { event: string; alert: { subject?: string; state?: string } }[] = [];
const docker = async (...args: string[]) => (await run("docker", ["-H", MAIN_ENGINE, ...args])).stdout.trim();

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push(JSON.parse(body) as (typeof received)[number]);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/portolan`;
  server = await startOwnServer();
  agent = await enrollAgent(server, HOST, MAIN_ENGINE);
});

test.afterAll(async () => {
  await docker("rm", "-f", BOX).catch(() => undefined);
  await agent?.stop();
  await server?.teardown();
  receiver?.close();
});


test("[ALERTS]: create a rule in the UI, kill a real container, see it firing live, acknowledge it", async ({ page }) => {
  await loginAt(server.url, page);
  await expect(page.getByRole("table", { name: "Hosts" }).getByText("online", { exact: true })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Firing alerts" })).toContainText("Nothing is firing.");
  await expect(page.getByRole("table", { name: "Alert rules" })).toContainText("No rules yet");
  await screenshots(page, "alerts-empty");

  // A webhook, checked with "Send test".
  await page.getByRole("button", { name: "Add webhook" }).click();
  const hookForm = page.getByRole("form", { name: "Add webhook" });
  await hookForm.getByLabel("Name").fill("receiver");
  await hookForm.getByLabel("URL").fill(hookUrl);
  await hookForm.getByLabel("Signing secret (optional)").fill("sixteen-chars-or-more");
  await hookForm.getByRole("button", { name: "Add webhook" }).click();
  const hooks = page.getByRole("table", { name: "Webhooks" });
  await expect(hooks.getByRole("row").filter({ hasText: "receiver" })).toContainText(hookUrl);
  await page.getByRole("button", { name: "Send test to receiver" }).click();
  await expect(hooks).toContainText(/Delivered: HTTP 204 in \d+ ms/);
  expect(received.map((r) => r.event)).toEqual(["test"]);

  // The rule: the form changes with the kind, and the server's refusal shows in the form.
  await page.getByRole("button", { name: "New rule" }).click();
  const ruleForm = page.getByRole("form", { name: "New alert rule" });
  await ruleForm.getByLabel("Name").fill("web died");
  await ruleForm.getByLabel("When").selectOption({ label: "Container restarting" });
  await expect(ruleForm.getByLabel("Within (minutes)")).toBeVisible();
  await ruleForm.getByLabel("When").selectOption({ label: "CPU above" });
  await expect(ruleForm.getByLabel("Threshold (% of the host's CPU)")).toHaveValue("90");
  await ruleForm.getByLabel("Measure").selectOption({ label: "each container" });
  await expect(ruleForm.getByLabel("Container label")).toBeEnabled();
  await screenshots(page, "alerts-rule-editor");
  await ruleForm.getByLabel("When").selectOption({ label: "Container died" });
  await expect(ruleForm.getByLabel("Within (minutes)")).toHaveCount(0);
  await ruleForm.getByLabel("Container label").fill(`portolan.run=${RUN}`);
  await ruleForm.getByLabel("receiver").check();
  await ruleForm.getByRole("button", { name: "Create rule" }).click();
  const rules = page.getByRole("table", { name: "Alert rules" });
  await expect(rules.getByRole("row").filter({ hasText: "web died" })).toContainText("Exits with a non-zero code");
  await expect(rules.getByRole("row").filter({ hasText: "web died" })).toContainText(`portolan.run=${RUN}`);

  const navigations: string[] = [];
  page.on("framenavigated", (f) => f === page.mainFrame() && navigations.push(f.url()));
  const id = await docker("run", "-d", "--label", "portolan.test=1", "--label", `portolan.run=${RUN}`, "--name", BOX, "local/busybox:latest", "sleep", "1000");
  await docker("kill", id);

  const firing = page.getByRole("table", { name: "Firing alerts" });
  const row = firing.getByRole("row").filter({ hasText: BOX });
  await expect(row).toBeVisible({ timeout: 20_000 });
  await expect(row).toContainText("exited with code 137 (killed)");
  await expect(page.getByRole("navigation", { name: "Main" }).getByTestId("firing-count")).toHaveText("1");
  expect(navigations).toEqual([]); // pushed live, not reloaded
  await expect.poll(() => received.find((r) => r.event === "alert.fired")?.alert.subject).toBe(`${BOX} on ${HOST}`);
  await screenshots(page, "alerts-firing");

  // Acknowledge from the keyboard.
  const ack = page.getByRole("button", { name: `Acknowledge web died on ${BOX} on ${HOST}` });
  await ack.focus();
  await page.keyboard.press("Enter");
  await expect(row).toContainText(E2E_ADMIN.email);
  await expect(ack).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Main" }).getByTestId("firing-count")).toHaveAttribute("aria-label", "1 firing, 0 not acknowledged");
  const conn = new Database(server.databaseUrl.slice("file:".length), { readonly: true });
  try {
    expect(conn.prepare("select state, acknowledgedBy, containerId from Alert where ruleName = 'web died'").all()).toEqual([{ state: "firing", acknowledgedBy: E2E_ADMIN.email, containerId: id }]);
  } finally {
    conn.close();
  }

  // Started again: resolved, in the history.
  await docker("start", id);
  await expect(firing).toContainText("Nothing is firing.", { timeout: 20_000 });
  const history = page.getByRole("table", { name: "Alert history" });
  await expect(history.getByRole("row").filter({ hasText: BOX })).toContainText("resolved");
  await expect(page.getByRole("navigation", { name: "Main" }).getByTestId("firing-count")).toHaveCount(0);
  await expect.poll(() => received.some((r) => r.event === "alert.resolved")).toBe(true);
  await screenshots(page, "alerts-resolved");
});
