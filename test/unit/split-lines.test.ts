import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { splitLines } from "../../agents/host/runtime/split-lines";

describe("splitLines", () => {
  it.each([
    [["a\nb\n"], ["a", "b"]],
    [["{\"x\":", "1}\n{\"y\"", ":2}\n"], ['{"x":1}', '{"y":2}']],
    [["one\n\n\ntwo\nthree"], ["one", "two"]],
  ])("splits %j into complete lines", async (chunks, expected) => {
    const stream = new PassThrough();
    const lines: string[] = [];
    splitLines(stream, (l) => lines.push(l));
    for (const c of chunks) stream.write(c);
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual(expected);
  });
});
