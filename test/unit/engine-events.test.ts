import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EngineEventStream, type EventStream } from "../../agents/host/engine-events/engine-event-stream";
import { EventBatcher, type SendResult } from "../../agents/host/engine-events/event-batcher";
import { eventKey, parseEngineEvent, sinceParam } from "../../agents/host/engine-events/parse-engine-event";
import { createLogger } from "../../agents/host/log";
import { ENGINE_EVENT_LIMITS, ZEngineEventBatch, type EngineEvent, type EngineEventBatch } from "../../agents/protocol";
import { toRow } from "../../server/domain/events/store-events";

const line = (o: Record<string, unknown>, timeNano: string) => JSON.stringify({ ...o, timeNano: 0 }).replace('"timeNano":0', `"timeNano":${timeNano}`);
const ev = (n: number, action = "start"): EngineEvent => ({ timeNano: String(1_700_000_000_000_000_000n + BigInt(n)), type: "container", action, actorId: `c${n}`, attributes: {} });

describe("parseEngineEvent", () => {
  it("keeps the engine's nanoseconds exactly (they do not fit a JS number)", () => {
    const e = parseEngineEvent(line({ Type: "container", Action: "die", Actor: { ID: "abc", Attributes: { exitCode: "137", name: "web" } }, time: 1700000000 }, "1700000000123456789"));
    expect(e).toEqual({ timeNano: "1700000000123456789", type: "container", action: "die", actorId: "abc", attributes: { exitCode: "137", name: "web" } });
  });

  it.each([
    ["not json", "{\"Type\":", null],
    ["no action", JSON.stringify({ Type: "image", Actor: { ID: "x" }, timeNano: 1 }), null],
    ["no time at all", JSON.stringify({ Type: "image", Action: "pull", Actor: { ID: "x" } }), null],
  ])("refuses %s", (_name, input, expected) => {
    expect(parseEngineEvent(input)).toBe(expected);
  });

  it("falls back to seconds and bounds attributes to what the protocol accepts", () => {
    const attributes = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, "v".repeat(5000)]));
    const e = parseEngineEvent(JSON.stringify({ Type: "volume", Action: "create", Actor: { ID: "data", Attributes: attributes }, time: 1700000001 }))!;
    expect(e.timeNano).toBe("1700000001000000000");
    expect(Object.keys(e.attributes)).toHaveLength(ENGINE_EVENT_LIMITS.attributes);
    expect(e.attributes.k0!.length).toBe(ENGINE_EVENT_LIMITS.valueChars);
    expect(ZEngineEventBatch.safeParse({ events: [e], dropped: 0 }).success).toBe(true);
  });

  it.each([
    ["1700000000123456789", "1700000000.123456789"],
    ["1700000000000000001", "1700000000.000000001"],
    ["5", "0.000000005"],
  ])("formats since from %s as %s", (nano, since) => expect(sinceParam(nano)).toBe(since));
});

describe("EventBatcher", () => {
  afterEach(() => vi.useRealTimers());

  function batcher(results: SendResult[] = [], opts: { maxQueue?: number } = {}) {
    const sent: EngineEventBatch[] = [];
    const b = new EventBatcher({
      send: async (batch) => {
        sent.push(structuredClone(batch));
        return results.shift() ?? "delivered";
      },
      intervalMs: 250,
      retryMs: 1_000,
      ...opts,
    });
    return { b, sent };
  }

  it("sends the first event of a quiet spell at once, and at most every 250 ms under load", async () => {
    vi.useFakeTimers({ now: 10_000 });
    const { b, sent } = batcher();
    b.push(ev(1));
    b.push(ev(2)); // same tick: same batch
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.events.length)).toEqual([2]);
    b.push(ev(3));
    await vi.advanceTimersByTimeAsync(100);
    b.push(ev(4));
    expect(sent).toHaveLength(1); // within the interval: waits
    await vi.advanceTimersByTimeAsync(150);
    expect(sent.map((s) => s.events.map((e) => e.actorId))).toEqual([["c1", "c2"], ["c3", "c4"]]);
    await vi.advanceTimersByTimeAsync(1_000); // quiet again
    b.push(ev(5));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(3);
  });

  it("keeps a batch that was not acknowledged and sends it first once resumed", async () => {
    vi.useFakeTimers({ now: 10_000 });
    const { b, sent } = batcher(["retry"]);
    b.push(ev(1));
    await vi.advanceTimersByTimeAsync(0);
    b.push(ev(2));
    await vi.advanceTimersByTimeAsync(500);
    expect(sent).toHaveLength(1); // paused after a failure
    b.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent[1]!.events.map((e) => e.actorId)).toEqual(["c1", "c2"]);
  });

  it("bounds its queue, dropping the oldest and reporting how many", async () => {
    vi.useFakeTimers({ now: 10_000 });
    const { b, sent } = batcher(["retry"], { maxQueue: 3 });
    b.push(ev(1));
    await vi.advanceTimersByTimeAsync(0); // fails: c1 back in the queue, paused
    for (let i = 2; i <= 6; i++) b.push(ev(i));
    expect(b.pending).toBe(3);
    b.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent[1]).toMatchObject({ dropped: 3 });
    expect(sent[1]!.events.map((e) => e.actorId)).toEqual(["c4", "c5", "c6"]);
  });

  it("splits a backlog into batches the protocol accepts", async () => {
    vi.useFakeTimers({ now: 10_000 });
    const { b, sent } = batcher();
    for (let i = 0; i < ENGINE_EVENT_LIMITS.batchEvents + 10; i++) b.push(ev(i));
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(250);
    expect(sent.map((s) => s.events.length)).toEqual([ENGINE_EVENT_LIMITS.batchEvents, 10]);
    expect(sent.every((s) => ZEngineEventBatch.safeParse(s).success)).toBe(true);
  });
});

describe("EngineEventStream", () => {
  /** A stream over fake engine connections: each open() gets a new PassThrough and records its `since`. */
  function fakeEngine(nowNano: bigint) {
    const streams: PassThrough[] = [];
    const sinces: (string | null)[] = [];
    const got: EngineEvent[] = [];
    const stream = new EngineEventStream({
      open: async (since) => {
        sinces.push(since);
        const p = new PassThrough();
        streams.push(p);
        return p as unknown as EventStream;
      },
      onEvent: (e) => got.push(e),
      log: createLogger("error"),
      retryMinMs: 5,
      nowNano: () => nowNano,
    });
    stream.start();
    return { stream, streams, sinces, got };
  }

  it("resumes from the newest event after a drop and delivers replays only once", async () => {
    const { stream, streams, sinces, got } = fakeEngine(1_600_000_000_000_000_000n);
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    const raw = (n: string, action: string) => line({ Type: "container", Action: action, Actor: { ID: "c1", Attributes: {} } }, n) + "\n";
    streams[0]!.write(raw("1700000000000000001", "create") + raw("1700000000000000002", "start"));
    await vi.waitFor(() => expect(got).toHaveLength(2));
    streams[0]!.end();
    await vi.waitFor(() => expect(streams).toHaveLength(2));
    expect(sinces).toEqual([null, "1700000000.000000002"]);
    // The engine replays from `since` inclusive: the start again, then what happened meanwhile.
    streams[1]!.write(raw("1700000000000000002", "start") + raw("1700000000000000003", "die"));
    await vi.waitFor(() => expect(got).toHaveLength(3));
    await new Promise((r) => setTimeout(r, 20));
    expect(got.map((e) => e.action)).toEqual(["create", "start", "die"]);
    expect(new Set(got.map(eventKey)).size).toBe(3);
    stream.stop();
  });

  it("resumes from when it first opened if the stream drops before any event", async () => {
    const { stream, streams, sinces } = fakeEngine(1_600_000_000_500_000_000n);
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    streams[0]!.destroy(new Error("engine went away"));
    await vi.waitFor(() => expect(sinces).toHaveLength(2));
    expect(sinces[1]).toBe("1600000000.500000000");
    stream.stop();
  });
});

describe("toRow (server)", () => {
  it("turns terminal escapes and bidi overrides into visible text, and keeps the millisecond", () => {
    const row = toRow("h1", { timeNano: "1700000000123999999", type: "container", action: "start", actorId: "abc", attributes: { name: "evil\u001b[31m\u202e", exitCode: "0" } });
    expect(row.time.toISOString()).toBe("2023-11-14T22:13:20.123Z");
    expect(row.actorName).toBe("evil\\u001b[31m\\u202e");
    expect(JSON.parse(row.attributes)).toEqual({ name: "evil\\u001b[31m\\u202e", exitCode: "0" });
  });
});
