import { chromium, type Browser, type Page } from "@playwright/test";
import type { Cleanup } from "./benchmark";

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export type ProbeSighting = { name: string; seq: number; at: number };
export type TickArrival = { hostId: string; t: number; at: number };
/** A "fleet:changed" frame carrying a probe container's new sequence number, as it reached the page. */
export type ProbeArrival = ProbeSighting;

/**
 * Runs inside the page before any of its scripts. Two clocks, both epoch ms (performance.timeOrigin
 * + performance.now(), the same wall clock the simulated agents stamp their sends with):
 * - a MutationObserver notes the first moment each probe row's Restarts cell shows the probe's
 *   sequence number (the probe sets restartCount = seq) in the DOM (after React committed it; painting follows within a frame);
 * - a PerformanceObserver notes the page's long tasks (main-thread work over 50 ms);
 * - the page's websocket is wrapped to note when each "metrics:tick" frame arrives, with the tick's
 *   own agent time `t`, and when each "fleet:changed" frame with a probe container's new sequence
 *   number arrives (which splits the UI latency into the way to the browser and the page's own part).
 */
// Plain JavaScript text: a compiled function would carry the TypeScript runner's helpers (__name) into the page.
const INSTRUMENT = `(() => {
  window.__probeSeen = [];
  window.__ticks = [];
  window.__longTasks = [];
  window.__probeArrivals = [];
  // The page's own main-thread stalls (tasks over 50 ms): time the browser, not the server, took.
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ entryTypes: ["longtask"] });
  const now = () => performance.timeOrigin + performance.now();
  const seen = new Set();
  const scan = () => {
    const at = now();
    const column = [...document.querySelectorAll("thead th")].findIndex((th) => th.textContent.trim() === "Restarts");
    if (column < 0) return;
    for (const row of document.querySelectorAll("tbody tr")) {
      // The name link's own text: the row's whole text runs the name into the short id ("bench-probe-2" + "39c4…").
      const name = [...row.querySelectorAll("a")].map((a) => (a.textContent || "").trim()).find((t) => /^bench-probe-\\d+$/.test(t));
      const seq = row.cells[column]?.textContent?.trim();
      if (!name || !seq || !/^\\d+$/.test(seq)) continue;
      const key = name + "#" + seq;
      if (seen.has(key)) continue;
      seen.add(key);
      window.__probeSeen.push({ name, seq: Number(seq), at });
    }
  };
  new MutationObserver(scan).observe(document, { subtree: true, childList: true, characterData: true });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        if (typeof e.data !== "string") return;
        const at = now();
        if (e.data.includes('"fleet:changed"') && e.data.includes("bench-probe-")) {
          try {
            const [, changes] = JSON.parse(e.data.slice(e.data.indexOf("[")));
            for (const change of changes) for (const c of change.containers || []) if (/^bench-probe-\\d+$/.test(c.name)) window.__probeArrivals.push({ name: c.name, seq: c.restartCount, at });
          } catch {}
          return;
        }
        if (!e.data.includes('"metrics:tick"')) return;
        try {
          const [, tick] = JSON.parse(e.data.slice(e.data.indexOf("[")));
          window.__ticks.push({ hostId: tick.hostId, t: tick.t, at });
        } catch {}
      });
    }
  };
})();`;

export type FleetWatcher = {
  page: Page;
  /** Sightings and tick arrivals since the last call (the page's buffers are emptied). */
  drain(): Promise<{ probes: ProbeSighting[]; arrivals: ProbeArrival[]; ticks: TickArrival[]; longTasks: number[] }>;
  close(): Promise<void>;
};

/** A real Chromium, signed in with the given session cookie, watching the fleet page filtered by `query`. */
export async function watchFleet(opts: { url: string; cookie: string; query: string; cleanup: Cleanup; browser?: Browser }): Promise<FleetWatcher> {
  const browser = opts.browser ?? (await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS }));
  if (!opts.browser) opts.cleanup.add("chromium", () => browser.close());
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.addCookies(opts.cookie.split("; ").map((c) => ({ name: c.slice(0, c.indexOf("=")), value: c.slice(c.indexOf("=") + 1), url: opts.url })));
  await context.addInitScript({ content: INSTRUMENT });
  const page = await context.newPage();
  await page.goto(`${opts.url}/fleet?q=${encodeURIComponent(opts.query)}`);
  await page.getByRole("status", { name: "Live updates connected" }).waitFor({ timeout: 60_000 });
  return {
    page,
    drain: () =>
      page.evaluate(() => {
        const w = window as unknown as { __probeSeen: ProbeSighting[]; __probeArrivals: ProbeArrival[]; __ticks: TickArrival[]; __longTasks: number[] };
        const out = { probes: w.__probeSeen, arrivals: w.__probeArrivals, ticks: w.__ticks, longTasks: w.__longTasks };
        w.__longTasks = [];
        w.__probeArrivals = [];
        w.__probeSeen = [];
        w.__ticks = [];
        return out;
      }),
    close: () => context.close(),
  };
}
