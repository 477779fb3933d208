import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "../../server/node-flags";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

describe("server node flags", () => {
  it("npm start passes the same V8 flags the test and bench launcher uses", () => {
    const start = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.start as string;
    const flags = /\btsx ((?:--\S+ )*)server\/index\.ts/.exec(start)?.[1] ?? "";
    expect(flags.split(" ").filter(Boolean)).toEqual([...SERVER_NODE_FLAGS]);
  });

  it("node accepts them on its command line and sizes the young generation by them", () => {
    // Objects that survive scavenges make V8 grow the young generation toward its maximum.
    const script = "const a = []; for (let i = 0; i < 3e6; i++) a.push({ i }); console.log(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)";
    const youngBytes = (flags: readonly string[]) => Number(execFileSync(process.execPath, [...flags, "-e", script], { env: { ...process.env, NODE_OPTIONS: "" } }).toString());
    expect(youngBytes([])).toBeLessThanOrEqual(32 * 2 ** 20); // the default: two 16 MiB semi-spaces
    expect(youngBytes(SERVER_NODE_FLAGS)).toBeGreaterThan(64 * 2 ** 20);
  });
});
