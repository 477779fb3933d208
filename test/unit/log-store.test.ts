import { describe, expect, it } from "vitest";
import type { LogItem } from "../../agents/protocol/logs";
import { FilteredIndex } from "../../app/_components/logs/filtered-index";
import { exportBlobParts } from "../../app/_components/logs/log-export";
import { LogStore, type SourceTag, type StoreChange } from "../../app/_components/logs/log-store";

const tag = (name: string): SourceTag => ({ key: `h/${name}`, hostId: "h", hostName: "host-1", containerId: name, containerName: name });
/** Second s of a fixed minute, with nanoseconds. */
const ts = (s: number, ns = 0) => `2026-11-29T10:00:${String(s).padStart(2, "0")}.${String(ns).padStart(9, "0")}Z`;
const line = (s: number, text: string, stream: "stdout" | "stderr" = "stdout", ns = 0): LogItem => ({ ts: ts(s, ns), stream, text });
const texts = (store: LogStore) => Array.from({ length: store.size }, (_, i) => store.textAt(i));

describe("LogStore", () => {
  it("appends one source in order and reads columns back", () => {
    const store = new LogStore(10);
    const a = store.sourceId(tag("a"));
    store.insert(a, [line(1, "one"), line(2, "two", "stderr", 5), { ts: ts(3), stream: "stdout", text: "x", truncated: true }]);
    expect(texts(store)).toEqual(["one", "two", "x"]);
    expect(store.streamAt(1)).toBe("stderr");
    expect(store.tsAt(1)).toBe(ts(2, 5));
    expect(store.truncatedAt(2)).toBe(true);
    expect(store.sourceAt(0)?.containerName).toBe("a");
  });

  it("merges two sources by time, ties in arrival order, and reports where lines moved", () => {
    const store = new LogStore(100);
    const changes: StoreChange[] = [];
    store.subscribe((c) => changes.push(c));
    const a = store.sourceId(tag("a"));
    const b = store.sourceId(tag("b"));
    store.insert(a, [line(1, "a1"), line(3, "a3"), line(5, "a5")]);
    store.insert(b, [line(2, "b2"), line(3, "b3"), line(6, "b6")]);
    expect(texts(store)).toEqual(["a1", "b2", "a3", "b3", "a5", "b6"]);
    expect(changes.map((c) => c.fromAbs)).toEqual([0, 1]);
    store.insert(a, [line(7, "a7")]);
    expect(changes.at(-1)?.fromAbs).toBe(6);
    // Same source id again (a re-subscribe) keeps one tag per container.
    expect(store.sourceId(tag("a"))).toBe(a);
  });

  it("orders by nanoseconds inside one millisecond", () => {
    const store = new LogStore(10);
    const a = store.sourceId(tag("a"));
    const b = store.sourceId(tag("b"));
    store.insert(a, [line(1, "a-900", "stdout", 900)]);
    store.insert(b, [line(1, "b-100", "stdout", 100), line(1, "b-901", "stdout", 901)]);
    expect(texts(store)).toEqual(["b-100", "a-900", "b-901"]);
  });

  it("discards the oldest lines past capacity and counts them", () => {
    const store = new LogStore(5);
    const a = store.sourceId(tag("a"));
    for (let s = 0; s < 12; s++) store.insert(a, [line(s, `l${s}`)]);
    expect(store.size).toBe(5);
    expect(store.evicted).toBe(7);
    expect(texts(store)).toEqual(["l7", "l8", "l9", "l10", "l11"]);
    // A merge into a full ring still keeps the newest five.
    const b = store.sourceId(tag("b"));
    store.insert(b, [line(9, "b9", "stdout", 1)]);
    expect(texts(store)).toEqual(["l8", "l9", "b9", "l10", "l11"]);
    expect(store.evicted).toBe(8);
  });

  it("grows past its first allocation without losing lines", () => {
    const store = new LogStore(10_000);
    const a = store.sourceId(tag("a"));
    const items = Array.from({ length: 9000 }, (_, i) => line(Math.floor(i / 1000), `n${i}`, "stdout", i));
    store.insert(a, items);
    expect(store.size).toBe(9000);
    expect(store.textAt(8999)).toBe("n8999");
    expect(store.evicted).toBe(0);
  });

  it("places markers where they arrive; a marker without a time follows the line before it", () => {
    const store = new LogStore(10);
    const a = store.sourceId(tag("a"));
    store.insert(a, [line(1, "x"), { marker: "dropped", count: 42, ts: null, message: "42 lines dropped" }, line(2, "y")]);
    expect(store.markerAt(1)).toEqual({ marker: "dropped", count: 42, message: "42 lines dropped" });
    expect(store.isMarkerAt(1)).toBe(true);
    expect(store.tsAt(1)).toBe(ts(1));
    expect(store.textAt(1)).toBe("42 lines dropped");
    expect(store.levelAt(1)).toBe(0);
  });

  it("detects levels lazily", () => {
    const store = new LogStore(10);
    const a = store.sourceId(tag("a"));
    store.insert(a, [line(1, '{"level":"error"}'), line(2, "level=warn x"), line(3, "plain")]);
    expect([0, 1, 2].map((i) => store.levelAt(i))).toEqual([5, 4, 0]);
  });

  it("sorts a batch that arrives out of order (stable)", () => {
    const store = new LogStore(10);
    const a = store.sourceId(tag("a"));
    store.insert(a, [line(3, "c"), line(1, "a"), line(3, "d"), line(2, "b")]);
    expect(texts(store)).toEqual(["a", "b", "c", "d"]);
  });
});

describe("FilteredIndex", () => {
  const drain = (ix: FilteredIndex) => {
    while (!ix.step(1000)) {
      /* until done */
    }
  };

  it("follows appends, merges and evictions", () => {
    const store = new LogStore(6);
    const a = store.sourceId(tag("a"));
    const b = store.sourceId(tag("b"));
    const ix = new FilteredIndex(store, (i) => store.textAt(i).includes("keep"), () => undefined);
    store.insert(a, [line(1, "keep a1"), line(3, "drop a3"), line(5, "keep a5")]);
    drain(ix);
    const kept = () => Array.from({ length: ix.length }, (_, k) => store.textAt(ix.indexAt(k)));
    expect(kept()).toEqual(["keep a1", "keep a5"]);
    store.insert(b, [line(2, "keep b2"), line(4, "drop b4")]);
    drain(ix);
    expect(kept()).toEqual(["keep a1", "keep b2", "keep a5"]);
    store.insert(a, [line(6, "keep a6"), line(7, "keep a7")]); // evicts a1
    drain(ix);
    expect(store.evicted).toBe(1);
    expect(kept()).toEqual(["keep b2", "keep a5", "keep a6", "keep a7"]);
    expect(ix.lowerBound(store.size - 1)).toBe(3);
    ix.dispose();
  });

  it("scans a big store in slices", () => {
    const store = new LogStore(300_000);
    const a = store.sourceId(tag("a"));
    for (let k = 0; k < 60; k++) store.insert(a, Array.from({ length: 5000 }, (_, i) => line(k, String(k * 5000 + i), "stdout", i)));
    const ix = new FilteredIndex(store, (i) => store.textAt(i).endsWith("7"), () => undefined);
    let slices = 0;
    while (!ix.step(1)) slices++;
    expect(ix.length).toBe(30_000);
    expect(slices).toBeGreaterThan(0);
    ix.dispose();
  });
});

describe("export", () => {
  it("writes what is shown as text and raw JSON Lines", () => {
    const store = new LogStore(10);
    const a = store.sourceId(tag("web"));
    store.insert(a, [line(1, "\u001b[31mred\u001b[0m"), line(2, "<script>", "stderr"), { marker: "gap", ts: ts(2), message: "gap here" }]);
    const txt = exportBlobParts(store, 3, (k) => k, "text", true).join("");
    expect(txt).toBe(`${ts(1)} host-1/web stdout red\n${ts(2)} host-1/web stderr <script>\n${ts(2)} host-1/web -- gap here\n`);
    const json = exportBlobParts(store, 1, () => 0, "jsonl", false).join("").trim();
    expect(JSON.parse(json)).toEqual({ ts: ts(1), stream: "stdout", text: "\u001b[31mred\u001b[0m" });
  });
});
