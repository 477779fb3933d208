import { describe, expect, it } from "vitest";
import { liveStatus, relativeTime } from "../../app/_components/format";

const now = Date.parse("2026-11-29T12:00:00Z");

describe("relativeTime", () => {
  it.each([
    [now - 2_000, "just now"],
    [now - 12_000, "12 s ago"],
    [now - 5 * 60_000, "5 min ago"],
    [now - 3 * 3_600_000, "3 h ago"],
    [now + 120_000, "in 2 min"],
  ])("%d -> %s", (from, text) => expect(relativeTime(from, now)).toBe(text));
});

describe("liveStatus", () => {
  it.each([
    [{ state: "running", status: "Up Less than a second", startedAt: now - 7 * 60_000 }, "Up 7 min"],
    [{ state: "running", status: "Up Less than a second", startedAt: now - 1_000 }, "Up a few seconds"],
    [{ state: "paused", status: "Up 1 second (Paused)", startedAt: now - 2 * 3_600_000 }, "Up 2 h (Paused)"],
    [{ state: "exited", status: "Exited (3) 5 minutes ago", startedAt: now - 60_000 }, "Exited (3) 5 minutes ago"],
    [{ state: "created", status: "Created", startedAt: null }, "Created"],
    [{ state: "exited", status: "Exited (137) Less than a second ago", startedAt: now - 9e5, finishedAt: now - 3 * 60_000, exitCode: 137 }, "Exited (137) 3 min ago"],
  ])("%j -> %s", (c, text) => expect(liveStatus(c, now)).toBe(text));
});
