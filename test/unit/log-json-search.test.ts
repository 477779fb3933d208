import { describe, expect, it } from "vitest";
import { looksLikeJson, prettyJson } from "../../app/_components/logs/json-line";
import { compileSearch } from "../../app/_components/logs/log-search";
import { formatLogTs, parseLogTs } from "../../app/_components/logs/log-time";

describe("prettyJson", () => {
  it("pretty-prints an object line and keeps a prefix", () => {
    expect(prettyJson('INFO {"a":1,"b":[true]}')).toEqual({ prefix: "INFO ", json: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}' });
  });
  it.each(["not json", "{broken", '"a string"', "[1, 2", "{} trailing"])("rejects %j", (t) => expect(prettyJson(t)).toBeNull());
  it("spots likely JSON cheaply", () => {
    expect(looksLikeJson('{"level":"info"}')).toBe(true);
    expect(looksLikeJson("plain")).toBe(false);
  });
});

describe("compileSearch", () => {
  it("substring ignores case unless asked", () => {
    const { matcher } = compileSearch({ text: "Err", regex: false, caseSensitive: false });
    expect(matcher!.test("an ERROR here")).toBe(true);
    expect(matcher!.ranges("err Err")).toEqual([[0, 3], [4, 7]]);
    const strict = compileSearch({ text: "Err", regex: false, caseSensitive: true }).matcher!;
    expect(strict.test("an ERROR here")).toBe(false);
    expect(strict.ranges("err Err")).toEqual([[4, 7]]);
  });
  it("substring treats regex characters literally", () => {
    const { matcher } = compileSearch({ text: "a.b(", regex: false, caseSensitive: true });
    expect(matcher!.test("xa.b(y")).toBe(true);
    expect(matcher!.test("axb(")).toBe(false);
  });
  it("regex matches and reports ranges", () => {
    const { matcher } = compileSearch({ text: "line-(1|3)\\b", regex: true, caseSensitive: true });
    expect(["line-1", "line-2", "line-3", "line-10"].filter((t) => matcher!.test(t))).toEqual(["line-1", "line-3"]);
    expect(matcher!.ranges("x line-3 line-1")).toEqual([[2, 8], [9, 15]]);
  });
  it("an empty-matching regex does not loop", () => {
    expect(compileSearch({ text: "z*", regex: true, caseSensitive: false }).matcher!.ranges("abc")).toEqual([]);
  });
  it("an invalid regex is an error, not a throw", () => {
    const r = compileSearch({ text: "(", regex: true, caseSensitive: false });
    expect(r.matcher).toBeNull();
    expect(r.error).toMatch(/./);
  });
  it("empty query matches nothing", () => expect(compileSearch({ text: "", regex: true, caseSensitive: false })).toEqual({ matcher: null, error: null }));
});

describe("log timestamps", () => {
  it("round-trips the engine's nanosecond text", () => {
    const ts = "2026-11-29T09:30:01.123456789Z";
    const p = parseLogTs(ts)!;
    expect(p).toEqual({ ms: Date.parse("2026-11-29T09:30:01.123Z"), ns: 456789 });
    expect(formatLogTs(p.ms, p.ns)).toBe(ts);
  });
  it.each(["2026-11-29T09:30:01Z", "garbage", "2026-11-29T09:30:01.123456789+01:00"])("rejects %s", (t) => expect(parseLogTs(t)).toBeNull());
});
