import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { OutputPump } from "../../agents/host/terminal/output-pump";

const tick = () => new Promise((r) => setImmediate(r));

/** A pump over a real stream whose receiver acks only when told to. */
function rig(limits = { windowChars: 10, pauseAboveChars: 40, messageChars: 8 }) {
  const stream = new PassThrough();
  const sent: string[] = [];
  const acks: (() => void)[] = [];
  const pump = new OutputPump(stream, (data) => new Promise<void>((resolve) => (sent.push(data), acks.push(resolve))), () => undefined, limits);
  return { stream, sent, acks, pump };
}

describe("[TERMINAL] output pump", () => {
  it("never splits a multi-byte character across messages, whatever the read boundaries", async () => {
    const { stream, sent, acks } = rig({ windowChars: 1000, pauseAboveChars: 4000, messageChars: 1000 });
    const bytes = Buffer.from("héllo ✓ 日本語 🚢 done");
    for (let i = 0; i < bytes.length; i++) stream.write(bytes.subarray(i, i + 1)); // one byte per read
    await tick();
    await tick();
    acks.forEach((a) => a());
    expect(sent.join("")).toBe("héllo ✓ 日本語 🚢 done");
    expect(sent.join("")).not.toContain("\uFFFD");
  });

  it("cuts long output into messages without splitting a surrogate pair", async () => {
    const { stream, sent, acks } = rig({ windowChars: 1000, pauseAboveChars: 4000, messageChars: 4 });
    stream.write(Buffer.from("abc🚢def"));
    await tick();
    await tick();
    acks.forEach((a) => a());
    expect(sent.every((m) => !/[\uD800-\uDBFF]$/.test(m))).toBe(true);
    expect(sent.join("")).toBe("abc🚢def");
  });

  it("keeps at most a window of unacked output in flight and pauses the process's stream past the bound", async () => {
    const { stream, sent, acks, pump } = rig();
    stream.write("x".repeat(100));
    await tick();
    await tick();
    expect(sent.join("").length).toBeLessThanOrEqual(10 + 8); // the window, plus the message that crossed it
    expect(pump.isPaused).toBe(true);
    expect(stream.isPaused()).toBe(true);
    // Acks drain the buffer; once it is low again, the stream resumes.
    while (acks.length) {
      acks.shift()!();
      await tick();
      await tick();
    }
    expect(sent.join("")).toBe("x".repeat(100));
    expect(pump.isPaused).toBe(false);
    expect(stream.isPaused()).toBe(false);
    expect(pump.buffered).toBe(0);
  });

  it("stops for good when the receiver refuses a message", async () => {
    const stream = new PassThrough();
    const failures: string[] = [];
    const pump = new OutputPump(stream, () => Promise.reject(new Error("no such session")), (err) => failures.push(err.message));
    stream.write("hello");
    await tick();
    await tick();
    expect(failures).toEqual(["no such session"]);
    stream.write("more");
    await tick();
    expect(pump.buffered).toBe(0);
  });
});
