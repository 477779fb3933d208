import { describe, expect, it } from "vitest";
import { displayText } from "../../app/_components/logs/ansi";
import { detectLevel, levelName } from "../../app/_components/logs/log-level";

describe("detectLevel", () => {
  it.each([
    ['{"level":"warn","msg":"disk almost full"}', "warn"],
    ['{"time":"x","severity":"ERROR","message":"boom"}', "error"],
    ['{"level":30,"time":1,"msg":"pino info"}', "info"],
    ['{"level":50,"msg":"pino error"}', "error"],
    ["time=2026-11-29T10:00:00Z level=debug msg=hello", "debug"],
    ['ts=1 lvl="trace" msg=x', "trace"],
    ["[ERROR] could not connect", "error"],
    ["2026/11/29 10:00:00 [warn] 12#12: upstream slow", "warn"],
    ["E1129 10:30:01.123456    1 controller.go:42] sync failed", "error"],
    ["W1129 10:30:01.123456    1 reflector.go:1] watch closed", "warn"],
    ["2026-11-29 10:00:00,123 INFO  [main] started", "info"],
    ["ERROR: relation does not exist", "error"],
    ["FATAL: out of memory", "error"],
    ["\u001b[33mWARN\u001b[0m something", "warn"],
  ])("%s → %s", (line, level) => expect(levelName(detectLevel(displayText(line)))).toBe(level));

  it.each(["hello world", "the error handling chapter", "information overload", "123456", ""])("no level in %j", (line) =>
    expect(detectLevel(line)).toBe(0),
  );
});
