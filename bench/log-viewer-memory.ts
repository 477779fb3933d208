import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { chromium, type Page } from "@playwright/test";
import { docker } from "../test/support/docker-cli";
import { enrollAgent, loginAt, startOwnServer } from "../test/e2e/own-server";
import { intFlag, type Benchmark, type BenchContext } from "./support/benchmark";
import { describeMachine, machineInfo, writeResults } from "./support/machine";

/**
 * The log viewer with a million lines: a container prints `seq 1 N` as fast as it can while a real
 * Chromium tab follows it through the real server and agent (production build). Measured: how long
 * the lines take to arrive (with browser → agent backpressure), the tab's JS heap after GC, the DOM
 * size, the longest main-thread stall while streaming, scroll jumps and a regex search over all lines.
 * Baseline, same browser and run: the heap of the same lines held the obvious way (one object per
 * line with its timestamp string) in a blank tab.
 */

const IMAGE = "local/busybox:latest";
const MAIN_ENGINE = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export const benchmark: Benchmark = {
  name: "log-viewer-memory",
  description: "browser tab memory and responsiveness of the log viewer with 1,000,000 lines (vs one object per line)",
  run,
};

/** JS heap after GC plus ArrayBuffer backing stores (typed arrays live outside the JS heap), and DOM nodes. */
async function heapMb(page: Page): Promise<{ heapMb: number; jsMb: number; buffersMb: number; nodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  await cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const usage = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number; backingStorageSize?: number };
  await cdp.detach();
  if (usage.backingStorageSize === undefined) throw new Error("this Chromium does not report ArrayBuffer memory (Runtime.getHeapUsage.backingStorageSize)");
  const nodes = metrics.find((m) => m.name === "Nodes")?.value ?? 0;
  const jsMb = usage.usedSize / 2 ** 20;
  const buffersMb = usage.backingStorageSize / 2 ** 20;
  return { heapMb: jsMb + buffersMb, jsMb, buffersMb, nodes };
}

async function run({ argv, cleanup }: BenchContext): Promise<void> {
  const lines = intFlag(argv, "lines", 1_000_000);
  if (!fs.existsSync(".next/BUILD_ID") || !fs.existsSync("dist/portolan-agent.cjs")) throw new Error("needs a production build: npm run build");
  const machine = await machineInfo(MAIN_ENGINE);
  const server = await startOwnServer();
  cleanup.add("server", () => server.teardown());
  const hostName = `bench-logs-${process.pid}`;
  const agent = await enrollAgent(server, hostName, MAIN_ENGINE);
  cleanup.add("agent", () => agent.stop());
  const box = `bench-logs-${process.pid}`;
  await docker(["run", "-d", "--label", "portolan.test=1", "--name", box, IMAGE, "sh", "-c", `while [ ! -f /tmp/go ]; do sleep 0.2; done; seq 1 ${lines}; sleep 100000`], MAIN_ENGINE);
  cleanup.add("container", () => docker(["rm", "-f", box], MAIN_ENGINE));

  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  cleanup.add("browser", () => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await loginAt(server.url, page);
  await page.getByRole("table", { name: "Hosts" }).getByRole("row").filter({ hasText: hostName }).getByText("online", { exact: true }).waitFor({ timeout: 30_000 });
  const href = await page.getByRole("table", { name: "Hosts" }).getByRole("link", { name: hostName, exact: true }).getAttribute("href");
  await page.goto(`${server.url}${href}/containers/${box}`);
  await page.getByRole("heading", { name: box }).waitFor();
  // The longest time the main thread could not run a 10 ms timer: how long the page froze at worst.
  await page.evaluate(() => {
    const w = window as unknown as { __maxGap: number; __resetGap: () => void };
    let last = performance.now();
    w.__maxGap = 0;
    w.__resetGap = () => ((w.__maxGap = 0), (last = performance.now()));
    setInterval(() => {
      const now = performance.now();
      w.__maxGap = Math.max(w.__maxGap, now - last - 10);
      last = now;
    }, 10);
  });
  const before = await heapMb(page);

  await page.getByRole("tab", { name: "Logs" }).click();
  await page.getByTestId("stream-status").and(page.locator('[data-state="live"]')).waitFor({ timeout: 30_000 });
  await page.evaluate(() => (window as unknown as { __resetGap: () => void }).__resetGap());
  const t0 = performance.now();
  await docker(["exec", box, "touch", "/tmp/go"], MAIN_ENGINE);
  const want = `${lines.toLocaleString("en-US")} lines loaded`;
  let last = "";
  let stableSince = performance.now();
  let lastChange = performance.now();
  let stalled: string | null = null;
  for (;;) {
    const text = (await page.getByTestId("log-counts").textContent()) ?? "";
    if (text.startsWith(want)) break;
    if (text !== last) (last = text), (stableSince = lastChange = performance.now());
    if (performance.now() - stableSince > 15_000) {
      stalled = `${text}; stream: ${(await page.getByTestId("stream-status").textContent()) ?? "?"}`;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const loadSeconds = ((stalled ? lastChange : performance.now()) - t0) / 1000;
  if (stalled) console.log(`  NOTE: the stream stopped before ${want}: ${stalled}`);
  const streamMaxGap = await page.evaluate(() => (window as unknown as { __maxGap: number }).__maxGap);
  const dropped = (await page.getByTestId("log-dropped").count()) ? await page.getByTestId("log-dropped").textContent() : "none";
  const after = await heapMb(page);

  // Scroll: jump the scrollbar to 20 places and time until the rows there are drawn.
  const scrollMs = await page.evaluate(async () => {
    const el = document.querySelector('[role="log"]') as HTMLElement;
    const times: number[] = [];
    for (let k = 0; k < 20; k++) {
      const t = performance.now();
      el.scrollTop = ((k * 7919) % 20) / 20 * (el.scrollHeight - el.clientHeight);
      el.dispatchEvent(new Event("wheel"));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b);
  });

  // Search: a regex over everything loaded, until the final count shows (includes the 200 ms typing pause).
  await page.evaluate(() => (window as unknown as { __resetGap: () => void }).__resetGap());
  await page.getByRole("button", { name: ".*" }).click();
  const s0 = performance.now();
  await page.getByLabel("Search logs").fill("^99999\\d$");
  await page.getByText(/^10 matches$/).waitFor({ timeout: 120_000 });
  const searchMs = performance.now() - s0;
  const searchMaxGap = await page.evaluate(() => (window as unknown as { __maxGap: number }).__maxGap);

  // Baseline: the same number of lines as one object per line (timestamp string, stream, text) in a blank tab.
  const blank = await browser.newPage();
  await blank.goto("about:blank");
  const b0 = await heapMb(blank);
  await blank.evaluate((n) => {
    const base = Date.parse("2026-11-29T10:00:00Z");
    const out: { ts: string; stream: string; text: string }[] = [];
    for (let i = 1; i <= n; i++) out.push({ ts: `${new Date(base + i).toISOString().slice(0, 23)}${String(i % 1e6).padStart(6, "0")}Z`, stream: "stdout", text: String(i) });
    (window as unknown as { __keep: unknown }).__keep = out;
  }, lines);
  const b1 = await heapMb(blank);

  const result = {
    lines,
    stalled,
    loadSeconds,
    linesPerSecond: lines / loadSeconds,
    dropped,
    heapBeforeMb: before.heapMb,
    heapAfterMb: after.heapMb,
    viewerMb: after.heapMb - before.heapMb,
    domNodesAfter: after.nodes,
    streamMaxFrameGapMs: streamMaxGap,
    scrollJumpMs: { median: scrollMs[Math.floor(scrollMs.length / 2)], max: scrollMs[scrollMs.length - 1] },
    searchMs,
    searchMaxFrameGapMs: searchMaxGap,
    baselineObjectsMb: b1.heapMb - b0.heapMb,
  };
  console.log(describeMachine(machine));
  console.log(`  lines streamed          ${lines.toLocaleString("en-US")} in ${loadSeconds.toFixed(1)} s (${Math.round(result.linesPerSecond).toLocaleString("en-US")} lines/s), dropped: ${dropped}`);
  console.log(`  viewer memory           ${result.viewerMb.toFixed(1)} MB for the lines (JS heap + ArrayBuffers; tab ${after.heapMb.toFixed(1)} MB = ${after.jsMb.toFixed(1)} JS + ${after.buffersMb.toFixed(1)} buffers, before ${before.heapMb.toFixed(1)} MB); DOM nodes ${after.nodes}`);
  console.log(`  baseline (same run)     ${result.baselineObjectsMb.toFixed(1)} MB for the same lines as one object per line; ratio ${(result.viewerMb / result.baselineObjectsMb).toFixed(2)}`);
  console.log(`  longest main-thread stall ${streamMaxGap.toFixed(0)} ms while streaming, ${searchMaxGap.toFixed(0)} ms while searching`);
  console.log(`  scroll jump to drawn    median ${result.scrollJumpMs.median!.toFixed(1)} ms, max ${result.scrollJumpMs.max!.toFixed(1)} ms`);
  console.log(`  regex search, all lines ${searchMs.toFixed(0)} ms until the count is final (incl. 200 ms typing pause)`);
  console.log(`  results: ${writeResults("log-viewer-memory", { machine, result })}`);
}
