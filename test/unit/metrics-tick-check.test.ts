import { describe, expect, it } from "vitest";
import { ZMetricsTick, type MetricsTick } from "../../agents/protocol";
import { simContainerId, simContainerSummary, simHostMetrics } from "../../bench/support/sim-agent-data";
import { isPlainValidTick } from "../../server/realtime/metrics-tick-check";

// The fast path may only ever say "valid" where zod says valid and would return the message unchanged;
// everything else must fall through to zod. Checked on every field of real-shaped ticks, each broken in
// every way a message could be.
function tick(containers: number, variant = 0): MetricsTick {
  const now = 1_795_000_000_000 + variant;
  const host = simHostMetrics(now);
  if (variant % 2) {
    host.interfaces.push({ name: "docker0", rxBps: 1.5, txBps: 0, rxPps: 0, txPps: 0, errors: 0, drops: 0 });
    host.disks.push({ mount: "/var/lib/docker", fsType: "overlay", totalBytes: 1e12, usedBytes: 5e11 });
  }
  const list = Array.from({ length: containers }, (_, i) => simContainerSummary(simContainerId(variant, i), now));
  return { t: now, intervalMs: 1000, source: variant % 3 ? "cgroup-v2" : "cgroup-v1", sourceNote: variant % 2 ? "fell back: no io.stat" : null, host, containers: list, details: [] };
}

const clone = <T>(x: T): T => structuredClone(x);

/** Every path to a value in the tick (objects and arrays included). */
function paths(x: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(x)) x.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (x && typeof x === "object") for (const [k, v] of Object.entries(x)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function at(root: unknown, path: (string | number)[]): { parent: Record<string | number, unknown>; key: string | number } | null {
  if (!path.length) return null;
  let parent = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  return { parent, key: path.at(-1)! };
}

const BREAKS: [string, (v: unknown) => unknown][] = [
  ["negative", () => -1], ["fraction", () => 1.5], ["NaN", () => NaN], ["Infinity", () => Infinity], ["huge int", () => 2 ** 60],
  ["string", () => "1"], ["long string", () => "x".repeat(513)], ["null", () => null], ["true", () => true],
  ["object", () => ({})], ["array", () => []], ["uppercase id", (v) => (typeof v === "string" ? v.toUpperCase() : v)],
  ["zero", () => 0], ["other enum", () => "cgroup-v3"],
];

/** The fast path said valid: zod must agree and hand back the very same content. */
function expectSound(message: unknown): void {
  if (!isPlainValidTick(message)) return;
  const parsed = ZMetricsTick.safeParse(message);
  expect(parsed.success).toBe(true);
  expect(parsed.data).toEqual(message);
}

describe("metrics tick fast check", () => {
  it.each([0, 1, 2, 3, 5])("accepts well-formed ticks as zod does, unchanged (variant %i)", (variant) => {
    for (const n of [0, 1, 20]) {
      const t = tick(n, variant);
      expect(isPlainValidTick(t)).toBe(true);
      expectSound(t);
      expect(isPlainValidTick(JSON.parse(JSON.stringify(t)))).toBe(true); // as it arrives over the wire
    }
  });

  it("never says valid for a tick with any field broken, missing or added", () => {
    const base = tick(3, 1);
    let rejected = 0;
    let tried = 0;
    for (const path of paths(base)) {
      const mutations: unknown[] = [];
      const spot = at(base, path);
      for (const [, brk] of BREAKS) {
        const m = clone(base);
        const s = at(m, path);
        if (s) s.parent[s.key] = brk(s.parent[s.key]);
        mutations.push(m);
      }
      if (spot && !Array.isArray(spot.parent)) {
        const missing = clone(base);
        delete at(missing, path)!.parent[spot.key];
        mutations.push(missing);
      }
      const value = spot ? spot.parent[spot.key] : base;
      if (value && typeof value === "object" && !Array.isArray(value)) {
        const extra = clone(base);
        const target = spot ? (at(extra, path)!.parent[spot.key] as Record<string, unknown>) : (extra as unknown as Record<string, unknown>);
        target.unexpected = 1; // zod strips it: the message must go to zod
        mutations.push(extra);
      }
      if (Array.isArray(value)) {
        const longer = clone(base);
        const arr = (spot ? at(longer, path)!.parent[spot.key] : longer) as unknown[];
        arr.push(...Array.from({ length: 2_100 }, () => arr[0] ?? 1));
        mutations.push(longer);
      }
      for (const m of mutations) {
        tried++;
        expectSound(m);
        if (!ZMetricsTick.safeParse(m).success || !isPlainValidTick(m)) rejected++;
      }
    }
    expect(tried).toBeGreaterThan(1_000);
    expect(rejected).toBeGreaterThan(tried / 2); // most breaks are real breaks (and all of those were refused above)
  });

  it("sends ticks with per-container detail, and non-objects, to zod", () => {
    const withDetail = { ...tick(1), details: [{ ...simContainerSummary(simContainerId(0, 0), 1), cpuOfLimitPercent: null, cpuLimitCores: null, cpuPeriods: 0, cpuThrottledPeriods: 0, cpuThrottledSeconds: 0, memWorkingSet: 0, memRss: 0, memCache: 0, oomKills: 0, pidsLimit: null, netRxPps: 0, netTxPps: 0, netErrors: 0, netDrops: 0, source: "cgroup-v1" }] };
    expect(ZMetricsTick.safeParse(withDetail).success).toBe(true);
    expect(isPlainValidTick(withDetail)).toBe(false);
    for (const junk of [null, undefined, 1, "tick", [], [tick(1)], Object.create({ t: 1 })]) expect(isPlainValidTick(junk)).toBe(false);
  });
});
