import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import type { Managed } from "../support/processes";
import { enrollAgent, loginAt, startOwnServer, type OwnServer } from "./own-server";

// Its own server (fresh database) with one host on the main engine and one busybox shell container.

const run = promisify(execFile);
const MAIN_ENGINE = "unix:///var/run/docker.sock";
const SHOTS = "/tmp/shots";
const tag = process.pid;
const HOST = `term-${tag}`;
const BOX = `term-box-${tag}`;

let server: OwnServer;
let agent: Managed | null = null;
let boxId = "";
const docker = async (...args: string[]) => (await run("docker", ["-H", MAIN_ENGINE, ...args])).stdout.trim();
const processes = async () => (await docker("top", BOX, "-eo", "pid,args")).split("\n").slice(1).map((l) => l.trim().replace(/^\d+\s+/, ""));

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startOwnServer();
  agent = await enrollAgent(server, HOST, MAIN_ENGINE);
  boxId = await docker("run", "-d", "-i", "-t", "--label", "portolan.test=1", "--name", BOX, "local/busybox:latest", "sh");
});

test.afterAll(async () => {
  await agent?.stop();
  await docker("rm", "-f", BOX).catch(() => undefined);
  await server?.teardown();
});

/** The text of the terminal's visible rows (xterm's DOM renderer), one string per row, trimmed. */
const screenRows = (page: Page) =>
  page.locator(".xterm-rows > div").evaluateAll((rows) => rows.map((r) => (r.textContent ?? "").replace(/\u00a0/g, " ").trimEnd()));
const statusLine = (page: Page) => page.getByRole("status", { name: "Terminal status" });

async function openTerminalTab(page: Page): Promise<void> {
  await loginAt(server.url, page);
  await expect(page.getByRole("table", { name: "Hosts" }).getByRole("row").filter({ hasText: HOST }).getByText("online", { exact: true })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("table", { name: "Hosts" }).getByRole("link", { name: HOST, exact: true }).click();
  await expect(page.getByRole("heading", { name: HOST })).toBeVisible();
  const hostId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
  await page.goto(`${server.url}/hosts/${encodeURIComponent(hostId)}/containers/${boxId}?tab=terminal`);
  await expect(page.getByRole("tab", { name: "Terminal" })).toHaveAttribute("aria-selected", "true");
}

/** Types a command line into the terminal and waits until a row shows exactly `expected`. */
async function runLine(page: Page, line: string, expected: RegExp): Promise<string> {
  await page.getByTestId("terminal-screen").click();
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
  await expect.poll(async () => (await screenRows(page)).some((r) => expected.test(r)), { message: `a row matching ${expected}` }).toBe(true);
  const rows = await screenRows(page);
  return rows.filter((r) => expected.test(r)).at(-1)!;
}

test("[TERMINAL][EXEC]: a shell in a container computes 6*7, follows the window size, and ends with the tab", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "light", viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await openTerminalTab(page);
  await expect(statusLine(page)).toContainText("Not connected");
  await page.getByRole("button", { name: "Open terminal" }).click();
  await expect(statusLine(page)).toContainText("Open ·", { timeout: 20_000 });

  await runLine(page, "echo $((6*7))", /^42$/);

  // The terminal fills its box: a smaller window means fewer rows and columns, and the TTY follows.
  const sizeOf = async () => {
    const m = /(\d+)×(\d+)/.exec((await statusLine(page).textContent()) ?? "");
    return { cols: Number(m![1]), rows: Number(m![2]) };
  };
  const before = await sizeOf();
  expect(await runLine(page, "stty size", /^\d+ \d+$/)).toBe(`${before.rows} ${before.cols}`);
  await page.setViewportSize({ width: 1000, height: 700 });
  await expect.poll(async () => (await sizeOf()).cols).toBeLessThan(before.cols);
  const after = await sizeOf();
  expect(after.rows).toBeLessThan(before.rows);
  expect(await runLine(page, "stty size", new RegExp(`^${after.rows} ${after.cols}$`))).toBe(`${after.rows} ${after.cols}`);

  // UTF-8 both ways.
  await runLine(page, "echo 'héllo ✓ 日本'", /^héllo ✓ 日本$/);

  await page.setViewportSize({ width: 1400, height: 900 });
  await expect.poll(async () => (await sizeOf()).cols).toBeGreaterThan(after.cols);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, "terminal-light.png"), fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.screenshot({ path: path.join(SHOTS, "terminal-dark.png"), fullPage: true });

  // Closing the browser tab ends the exec'd shell: only the container's own process is left.
  expect((await processes()).length).toBeGreaterThan(1);
  await page.close();
  await expect.poll(processes, { timeout: 10_000 }).toEqual(["sh"]);
  await context.close();
});

test("[TERMINAL][ATTACH]: closing the session says why, and attaching to the main process leaves it running", async ({ browser }) => {
  const page = await (await browser.newContext({ colorScheme: "light" })).newPage();
  await openTerminalTab(page);
  await page.getByLabel("Mode").selectOption("attach");
  await page.getByRole("button", { name: "Open terminal" }).click();
  await expect(statusLine(page)).toContainText("attached to the main process", { timeout: 20_000 });
  await runLine(page, "echo main-$((40+2))", /^main-42$/);
  await page.getByRole("button", { name: "Close session" }).click();
  await expect(statusLine(page)).toContainText("Ended: closed by you");
  await expect(page.getByRole("button", { name: "Open again" })).toBeVisible();
  expect(await docker("inspect", "-f", "{{.State.Running}}", BOX)).toBe("true");
  await page.screenshot({ path: path.join(SHOTS, "terminal-ended-light.png"), fullPage: true });
});
