import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { LogLineParser } from "../../agents/host/logs/log-line-parser";
import { toDockerTime } from "../../agents/host/logs/docker-log-source";
import { cursorOf, isAfterCursors, normaliseLogTs, streamCursors } from "../../agents/protocol/logs";

// Recorded from Docker 20.10's /containers/{id}/logs?timestamps=1 on the test machines.
const multiplexed = fs.readFileSync(new URL("../fixtures/docker/logs-multiplexed.bin", import.meta.url));
const tty = fs.readFileSync(new URL("../fixtures/docker/logs-tty.bin", import.meta.url));

/** Feeds the bytes in chunks of `size` (frames and characters split anywhere). */
function parse(bytes: Buffer, isTty: boolean, size = bytes.length) {
  const parser = new LogLineParser(isTty);
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...parser.push(bytes.subarray(i, i + size)));
  return [...out, ...parser.end()];
}

describe("[LOGS] Docker log stream parsing", () => {
  it("splits multiplexed frames into lines with stream, timestamp and text, joining partial frames", () => {
    for (const size of [multiplexed.length, 7, 1]) {
      const lines = parse(multiplexed, false, size);
      expect(lines.map((l) => [l.stream, l.text.length > 40 ? `${l.text[0]}×${l.text.length}` : l.text])).toEqual([
        ["stdout", "one"],
        ["stderr", "two"],
        ["stdout", "y×40000"], // the engine cut it into 16 KiB partial frames
        ["stdout", "\uFFFDbad"],
      ]); // ("no newline at end" stays in the engine until the line ends or the container stops)
      for (const l of lines) expect(l.ts).toMatch(/^2026-11-29T09:45:\d\d\.\d{9}Z$/);
    }
  });

  it("reads a TTY container's raw stream as stdout lines without the CR", () => {
    expect(parse(tty, true, 5).map((l) => [l.stream, l.text])).toEqual([
      ["stdout", "tty-one"],
      ["stdout", "tty-two"],
    ]);
  });

  it("normalises engine timestamps to nine fraction digits in UTC", () => {
    expect(normaliseLogTs("2026-11-29T09:45:41.2409Z")).toBe("2026-11-29T09:45:41.240900000Z");
    expect(normaliseLogTs("2026-11-29T09:45:41Z")).toBe("2026-11-29T09:45:41.000000000Z");
    expect(normaliseLogTs("2026-11-29T10:45:41.5+01:00")).toBe("2026-11-29T09:45:41.500000000Z");
    expect(normaliseLogTs("yesterday")).toBeNull();
    expect(toDockerTime("2026-11-29T09:45:41.000000123Z")).toBe(`${Date.UTC(2026, 10, 29, 9, 45, 41) / 1000}.000000123`);
    expect(toDockerTime("1700000000.5")).toBe("1700000000.5");
    expect(toDockerTime("rm -rf")).toBeNull();
  });

  it("keeps a resume cursor per stream, since the engine orders lines only within a stream", () => {
    const a = "2026-11-29T09:00:00.000000001Z";
    const b = "2026-11-29T09:00:00.000000002Z";
    const cursors = streamCursors({ ts: b, stream: "stdout", streams: { stdout: b, stderr: a } });
    expect(isAfterCursors({ ts: b, stream: "stderr" }, cursors)).toBe(true); // an earlier-stamped stderr line written later still counts
    expect(isAfterCursors({ ts: b, stream: "stdout" }, cursors)).toBe(false);
    expect(cursorOf(cursors)).toEqual({ ts: b, stream: "stdout", streams: { stdout: b, stderr: a } });
    expect(streamCursors({ ts: a, stream: "stderr" })).toEqual({ stdout: a, stderr: a });
  });
});
