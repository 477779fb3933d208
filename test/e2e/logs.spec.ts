import { shots } from "./screens";
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { expect, test, type Browser, type Page } from "@playwright/test";
import type { Managed } from "../support/processes";
import { enrollAgent, loginAt, startOwnServer, type OwnServer } from "./own-server";

// Its own server on a fresh database, one host on the main engine, containers printing known lines.

const run = promisify(execFile);
const MAIN_ENGINE = "unix:///var/run/docker.sock";
const tag = process.pid;
const HOST = `logs-${tag}`;
const NUMBERS = `logs-numbers-${tag}`;
const OTHER = `logs-other-${tag}`;
const HOSTILE = `logs-hostile-${tag}`;
const ONE_MB = 1_000_000;

/** 200 numbered lines, a JSON error line, a warning on stderr, then idle. */
const NUMBERS_CMD = `i=1; while [ $i -le 200 ]; do echo "line-$i"; i=$((i+1)); done; echo '{"level":"error","msg":"json boom","n":1}'; echo "WARN: careful" >&2; sleep 100000`;
const OTHER_CMD = `i=1; while [ $i -le 20 ]; do echo "other-$i"; i=$((i+1)); sleep 0.05; done; sleep 100000`;
const HOSTILE_CMD = [
  `echo '<script>alert(1)</script>'`,
  `printf '\\033]0;pwned\\007after-osc\\n'`,
  `printf '\\033[2Jafter-clear\\n'`,
  `printf '\\033[31mred-text\\033[0m plain\\n'`,
  `printf '\\377\\376 invalid-utf8\\n'`,
  `yes x | tr -d '\\n' | head -c ${ONE_MB}`,
  `echo`,
  `echo hostile-done`,
  `sleep 100000`,
].join("; ");

let server: OwnServer;
let hostId = "";
const agents: Managed[] = [];
const docker = async (...args: string[]) => (await run("docker", ["-H", MAIN_ENGINE, ...args])).stdout.trim();
const start = (name: string, cmd: string) => docker("run", "-d", "--label", "portolan.test=1", "--label", `logs.e2e=${tag}`, "--name", name, "local/busybox:latest", "sh", "-c", cmd);

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await Promise.all([start(NUMBERS, NUMBERS_CMD), start(OTHER, OTHER_CMD), start(HOSTILE, HOSTILE_CMD)]);
  server = await startOwnServer();
  agents.push(await enrollAgent(server, HOST, MAIN_ENGINE));
});

test.afterAll(async () => {
  for (const a of agents) await a.stop();
  await docker("rm", "-f", NUMBERS, OTHER, HOSTILE).catch(() => undefined);
  await server?.teardown();
});


async function newPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ colorScheme: "light", acceptDownloads: true })).newPage();
  await loginAt(server.url, page);
  if (!hostId) {
    const link = page.getByRole("table", { name: "Hosts" }).getByRole("link", { name: HOST, exact: true });
    await expect(link).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("table", { name: "Hosts" }).getByRole("row").filter({ hasText: HOST }).getByText("online", { exact: true })).toBeVisible({ timeout: 30_000 });
    hostId = decodeURIComponent((await link.getAttribute("href"))!.split("/")[2]!);
  }
  return page;
}

async function openContainerLogs(page: Page, name: string) {
  await page.goto(`${server.url}/hosts/${encodeURIComponent(hostId)}`);
  await page.getByRole("table", { name: "Containers" }).getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await page.getByRole("tab", { name: "Logs" }).click();
  await expect(page.getByTestId("stream-status")).toHaveAttribute("data-state", "live", { timeout: 20_000 });
}

const log = (page: Page) => page.getByRole("log", { name: "Log lines" });
const rows = (page: Page) => log(page).locator("[data-abs]");

test("[LOGS][SEARCH]: a regex search highlights exactly the matching lines; the download holds what was shown", async ({ browser }) => {
  const page = await newPage(browser);
  await openContainerLogs(page, NUMBERS);
  await expect(page.getByTestId("log-counts")).toHaveText("202 lines loaded", { timeout: 20_000 });
  await expect(log(page).getByText("line-200", { exact: true })).toBeVisible(); // following: the newest lines are in view
  // stdout and stderr are timestamped by separate engine readers, so the stderr line sits where its time puts it.
  await page.getByRole("group", { name: "Streams" }).getByRole("button", { name: "stderr" }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toHaveAttribute("data-stream", "stderr");
  await expect(rows(page)).toContainText("WARN: careful");
  await expect(rows(page)).toHaveAttribute("data-level", "warn");
  await page.getByRole("group", { name: "Streams" }).getByRole("button", { name: "stderr" }).click();
  await expect(rows(page).first()).toBeVisible();

  // Keyboard: f pauses and resumes following; "/" goes to the search box.
  await page.keyboard.press("f");
  await expect(page.getByRole("button", { name: "Paused" })).toHaveAttribute("aria-pressed", "false");
  await page.keyboard.press("f");
  await expect(page.getByRole("button", { name: "Following" })).toHaveAttribute("aria-pressed", "true");
  await page.keyboard.press("/");
  await expect(page.getByLabel("Search logs")).toBeFocused();
  await page.getByRole("button", { name: ".*" }).click();
  await page.getByLabel("Search logs").fill("^line-1\\d$");
  await expect(page.getByText("10 matches", { exact: true })).toBeVisible();
  await page.getByLabel("Only matches").check();
  await expect(page.getByTestId("log-counts")).toHaveText("202 lines loaded, 10 shown");
  const expected = Array.from({ length: 10 }, (_, k) => `line-${10 + k}`);
  await expect(log(page).locator("mark")).toHaveText(expected);
  await expect(rows(page)).toHaveCount(10);
  await shots(page, "logs-search-only-matches", { fullPage: false });

  // Enter jumps between matches; the current one is marked.
  await page.getByLabel("Search logs").press("Enter");
  await expect(page.getByText("1 / 10 matches")).toBeVisible();
  await page.getByLabel("Search logs").press("Enter");
  await expect(page.getByText("2 / 10 matches")).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Line details" })).toContainText("line-11");

  const [download] = await Promise.all([page.waitForEvent("download"), (async () => {
    await page.getByText("Download", { exact: true }).click();
    await page.getByRole("menuitem", { name: "Shown lines as text (.log)" }).click();
  })()]);
  const text = fs.readFileSync((await download.path())!, "utf8");
  const lines = text.trimEnd().split("\n");
  expect(lines).toHaveLength(10);
  lines.forEach((l, k) => expect(l).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z stdout ${expected[k]}$`)));
  // The shown rows carry the same timestamps (tooltip: the exact engine time).
  const shownTs = await rows(page).evaluateAll((els) => els.map((e) => e.querySelector("[title]")!.getAttribute("title")!.split("\n")[0]));
  expect(shownTs).toEqual(lines.map((l) => l.split(" ")[0]));

  const [jsonl] = await Promise.all([page.waitForEvent("download"), (async () => {
    await page.getByText("Download", { exact: true }).click();
    await page.getByRole("menuitem", { name: "Shown lines as JSON Lines" }).click();
  })()]);
  const records = fs.readFileSync((await jsonl.path())!, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
  expect(records.map((r) => r.text)).toEqual(expected);

  // Level filter and pretty JSON.
  await page.getByLabel("Only matches").uncheck();
  await page.getByLabel("Search logs").fill("");
  await expect(page.getByText(/^(\d+ \/ )?\d[\d,]* match(es)?$/)).toHaveCount(0); // no search left behind
  await page.getByRole("group", { name: "Levels" }).getByRole("button", { name: "error" }).click();
  await expect(rows(page)).toHaveCount(1);
  await rows(page).first().click();
  await page.getByRole("complementary", { name: "Line details" }).getByLabel("Pretty JSON").check();
  await expect(page.getByLabel("Pretty-printed JSON")).toContainText('"level": "error"');
  await shots(page, "logs-pretty-json", { fullPage: false });
});

test("[LOGS][HOSTILE]: script tags, terminal escapes, a 1 MB line and invalid UTF-8 are shown as text and the page keeps working", async ({ browser }) => {
  const page = await newPage(browser);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await openContainerLogs(page, HOSTILE);
  const title = await page.title();
  await expect(log(page).getByText("hostile-done", { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(log(page).getByText("<script>alert(1)</script>", { exact: true })).toBeVisible();
  await expect(log(page).getByText("^[]0;pwned^Gafter-osc", { exact: true })).toBeVisible();
  await expect(log(page).getByText("^[[2Jafter-clear", { exact: true })).toBeVisible();
  await expect(log(page).getByText("red-text", { exact: true })).toHaveClass(/text-red/);
  await expect(log(page).getByText("\uFFFD\uFFFD invalid-utf8", { exact: true })).toBeVisible();
  // The 1 MB line: drawn cut, with the rest counted; whole in the download and searchable.
  const big = rows(page).filter({ hasText: "xxxxxxxxxx" });
  await expect(big).toHaveCount(1);
  await expect(big).toContainText(/\+99\d,\d{3} chars|truncated/);
  expect(await log(page).locator("script").count()).toBe(0);

  await page.getByLabel("Search logs").fill("x{1000}");
  await page.getByRole("button", { name: ".*" }).click();
  await expect(page.getByText("1 match", { exact: true })).toBeVisible();
  await page.getByLabel("Search logs").fill("pwned");
  await page.getByRole("button", { name: ".*" }).click();
  await expect(page.getByText("1 match", { exact: true })).toBeVisible();
  await shots(page, "logs-hostile", { fullPage: false });

  expect(dialogs).toEqual([]);
  expect(await page.title()).toBe(title);
  expect(await page.title()).not.toContain("pwned");
});

test("[LOGS][MERGED]: the central page merges picked containers by time, each line tagged with host and container", async ({ browser }) => {
  const page = await newPage(browser);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Logs" }).click();
  await expect(page.getByRole("heading", { name: "Logs" })).toBeVisible();
  await page.getByLabel("Label", { exact: true }).fill(`logs.e2e=${tag}`);
  await page.getByRole("checkbox", { name: `${HOST}/${NUMBERS}` }).check();
  await page.getByRole("checkbox", { name: `${HOST}/${OTHER}` }).check();
  await expect(page.getByTestId("log-counts")).toHaveText("222 lines loaded", { timeout: 20_000 });
  await expect(log(page).getByTitle(`${HOST}/${OTHER}`).first()).toBeVisible();
  await expect(log(page).getByTitle(`${HOST}/${NUMBERS}`).first()).toBeVisible();

  // Everything loaded, in time order: the JSON Lines download of all loaded lines.
  const [download] = await Promise.all([page.waitForEvent("download"), (async () => {
    await page.getByText("Download", { exact: true }).click();
    await page.getByRole("menuitem", { name: "All loaded lines as JSON Lines" }).click();
  })()]);
  const records = fs.readFileSync((await download.path())!, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as { ts: string; container: string; host: string; text: string });
  expect(records).toHaveLength(222);
  expect(records.map((r) => r.ts)).toEqual(records.map((r) => r.ts).sort());
  expect(new Set(records.map((r) => `${r.host}/${r.container}`))).toEqual(new Set([`${HOST}/${NUMBERS}`, `${HOST}/${OTHER}`]));
  expect(records.filter((r) => r.container === OTHER).map((r) => r.text)).toEqual(Array.from({ length: 20 }, (_, k) => `other-${k + 1}`));
  await shots(page, "logs-merged", { fullPage: false });

  // The host page's Logs tab is the same viewer over that host's containers.
  await page.goto(`${server.url}/hosts/${encodeURIComponent(hostId)}?tab=logs`);
  await page.getByRole("checkbox", { name: `${HOST}/${OTHER}` }).check();
  await expect(log(page).getByText("other-20", { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("log-counts")).toHaveText("20 lines loaded");
  await shots(page, "logs-host-tab", { fullPage: false });
});

test("[LOGS][RETAINED]: a retention rule by label keeps a container's log on the server, searchable from the logs page", async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/logs?tab=retained`);
  await expect(page.getByRole("tab", { name: "Retained" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("retention-summary")).toContainText("No retention rules");
  await expect(page.getByRole("link", { name: "Manage retention rules" })).toHaveAttribute("href", "/admin/log-retention");

  // The rule is made through the API as the signed-in admin (the admin page is the lead's), then searched from /logs.
  const made = await page.evaluate(async (label) => {
    const res = await fetch("/api/trpc/logs.retention.set", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ label, maxMb: 5, maxDays: 2 }) });
    return res.status;
  }, `logs.e2e=${tag}`);
  expect(made).toBe(200);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("retention-summary")).toContainText("keeps the logs of 3 containers", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("retention-summary")).toContainText("1 retention rule keeps the logs of 3 containers");
  // Admin → Log retention lists the rule and the containers it keeps.
  await page.goto(`${server.url}/admin/log-retention`);
  await expect(page.getByRole("table", { name: "Retention rules" }).getByRole("row").filter({ hasText: `logs.e2e=${tag}` })).toContainText("5 MB");
  await expect(page.getByRole("table", { name: "Retained containers" }).getByRole("row").filter({ hasText: NUMBERS })).toBeVisible();
  await shots(page, "admin-log-retention");
  await page.goto(`${server.url}/logs?tab=retained`);
  const search = page.getByRole("form", { name: "Search retained logs" });
  await search.getByLabel("Text or regex").fill("^line-19\\d$");
  await search.getByLabel("Regex", { exact: true }).check();
  await search.getByRole("button", { name: "Search retained" }).click();
  await expect(page.getByTestId("retained-summary")).toContainText("10 matches");
  await expect(rows(page)).toHaveCount(10);
  await expect(rows(page).first()).toContainText(`${HOST}/${NUMBERS}`);
  await expect(rows(page).last()).toContainText("line-199");
  await shots(page, "logs-retained", { fullPage: false });
});
