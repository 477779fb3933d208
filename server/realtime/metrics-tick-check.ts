import { MAX_METRICS_INTERVAL_S, MAX_TICK_CONTAINERS, MIN_METRICS_INTERVAL_S, type MetricsTick } from "../../agents/protocol";

/**
 * A fast path in front of `ZMetricsTick` for the one message every agent sends every second. zod's
 * parse builds a result object (and an issues array) per field and returns a copy: measured at 2,000
 * agents × 20 containers, two thirds of everything the server allocated (~100 MB/s), and with it most
 * of the garbage collector's work.
 *
 * This only answers "certainly valid as is": every field of the schema, nothing else (zod would strip
 * an unknown key, so one sends the message to zod), the same limits. Anything else, and any tick with
 * per-container detail (sent only for containers someone watches), goes to zod, which has the last
 * word and writes the error. test/unit/metrics-tick-check.test.ts holds the two to the same verdicts.
 */
export function isPlainValidTick(raw: unknown): raw is MetricsTick {
  if (!isRecord(raw) || keyCount(raw) !== 7) return false;
  const t = raw as Record<keyof MetricsTick, unknown>;
  return (
    Number.isSafeInteger(t.t) && (t.t as number) > 0 &&
    Number.isSafeInteger(t.intervalMs) && (t.intervalMs as number) >= MIN_METRICS_INTERVAL_S * 1000 && (t.intervalMs as number) <= MAX_METRICS_INTERVAL_S * 1000 &&
    (t.source === "cgroup-v1" || t.source === "cgroup-v2" || t.source === "docker-api" || t.source === "none") &&
    (t.sourceNote === null || isString(t.sourceNote, 500)) &&
    isHost(t.host) &&
    Array.isArray(t.containers) && t.containers.length <= MAX_TICK_CONTAINERS && all(t.containers, isSummary) &&
    Array.isArray(t.details) && t.details.length === 0
  );
}

const FULL_ID = /^[a-f0-9]{64}$/;
const SUMMARY_NUMBERS = ["cpuPercent", "memBytes", "netRxBps", "netTxBps", "blkReadBps", "blkWriteBps", "pids"] as const;
const HOST_NUMBERS = ["cpuPercent", "memTotal", "memUsed", "memAvailable", "swapTotal", "swapUsed", "netRxBps", "netTxBps", "diskReadBps", "diskWriteBps", "uptimeSeconds"] as const;
const INTERFACE_NUMBERS = ["rxBps", "txBps", "rxPps", "txPps", "errors", "drops"] as const;
const DISK_NUMBERS = ["totalBytes", "usedBytes"] as const;

/** A finite number ≥ 0, as `z.number().finite().nonnegative()`. */
const isAmount = (x: unknown): boolean => typeof x === "number" && Number.isFinite(x) && x >= 0;
const isString = (x: unknown, max: number): boolean => typeof x === "string" && x.length <= max;
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** Own enumerable keys, without building an array of them. */
function keyCount(o: object): number {
  let n = 0;
  for (const k in o) if (Object.hasOwn(o, k)) n++;
  return n;
}

/** Every element, holes included (`every` skips holes; zod does not). */
function all(xs: unknown[], test: (x: unknown) => boolean): boolean {
  for (let i = 0; i < xs.length; i++) if (!test(xs[i])) return false;
  return true;
}

function amounts(o: Record<string, unknown>, keys: readonly string[]): boolean {
  for (const k of keys) if (!isAmount(o[k])) return false;
  return true;
}

function isSummary(c: unknown): boolean {
  return isRecord(c) && keyCount(c) === 9 && typeof c.id === "string" && FULL_ID.test(c.id) && (c.memLimit === null || isAmount(c.memLimit)) && amounts(c, SUMMARY_NUMBERS);
}

function isHost(h: unknown): boolean {
  if (!isRecord(h) || keyCount(h) !== 15 || !amounts(h, HOST_NUMBERS)) return false;
  const { perCore, load, interfaces, disks } = h;
  return (
    Array.isArray(perCore) && perCore.length <= 1024 && all(perCore, isAmount) &&
    Array.isArray(load) && load.length === 3 && all(load, isAmount) &&
    Array.isArray(interfaces) && interfaces.length <= 256 && all(interfaces, (i) => isRecord(i) && keyCount(i) === 7 && isString(i.name, 64) && amounts(i, INTERFACE_NUMBERS)) &&
    Array.isArray(disks) && disks.length <= 128 && all(disks, (d) => isRecord(d) && keyCount(d) === 4 && isString(d.mount, 512) && isString(d.fsType, 64) && amounts(d, DISK_NUMBERS))
  );
}
