import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AGENT_ENV, AGENT_NODE_FLAGS, agentLaunchCommand } from "../../agents/host/launch";
import { agentCommand } from "../../server/domain/enrollment/create-enrollment-token";

const REPO = path.resolve(import.meta.dirname, "..", "..");

describe("agent launch settings", () => {
  it("are accepted by this node and keep the young generation small under allocation churn", () => {
    // A mistyped V8 flag stops node from starting at all; an ignored one would show in new space.
    const probe = `let keep = [];
      for (let i = 0; i < 2e6; i++) { keep.push({ i, s: "x" + i }); if (keep.length > 20000) keep = []; }
      const newSpace = require("v8").getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
      process.stdout.write(JSON.stringify({ argv: process.execArgv.slice(0, -2), arena: process.env.MALLOC_ARENA_MAX, newSpace }));`;
    const run = spawnSync(process.execPath, [...AGENT_NODE_FLAGS, "-e", probe], { env: { ...process.env, ...AGENT_ENV }, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const seen = JSON.parse(run.stdout) as { argv: string[]; arena: string; newSpace: number };
    expect(seen.argv).toEqual([...AGENT_NODE_FLAGS]);
    expect(seen.arena).toBe(AGENT_ENV.MALLOC_ARENA_MAX);
    expect(seen.newSpace).toBeLessThanOrEqual(2 * 2 ** 20); // plain node grows it to 32 MiB here
  }, 60_000); // a child node churning 2M objects: seconds on a loaded machine

  it("are in the command an admin runs on a new host", () => {
    const command = agentCommand("http://portolan.test:3000", "pet_abc");
    expect(command).toContain(`PORTOLAN_ENROLL_TOKEN=pet_abc ${agentLaunchCommand("portolan-agent.cjs")}`);
    for (const [k, v] of Object.entries(AGENT_ENV)) expect(command).toContain(`${k}=${v} `);
    for (const flag of AGENT_NODE_FLAGS) expect(command).toContain(` ${flag} `);
  });
});

describe("agent imports of the protocol", () => {
  // The bundle builds a module's zod schemas when the module is first needed. Importing a value from
  // the protocol barrel would build every schema (terminal, inspector, control…) at start: ~5 MB of
  // an agent that must stay under 60 MB. Types may come from the barrel (they vanish at build).
  const files = fs
    .readdirSync(path.join(REPO, "agents", "host"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join("agents", "host", f));

  it.each(files)("%s imports protocol values by file, not from the barrel", (file) => {
    const text = fs.readFileSync(path.join(REPO, file), "utf8");
    const barrelValueImports = [...text.matchAll(/^import (?!type )([^;]*?) from "(?:\.\.\/)+protocol";$/gms)]
      .map((m) => m[1]!)
      .filter((names) => names.replace(/[{}\s]/g, "").split(",").some((n) => n && !n.startsWith("type")));
    expect(barrelValueImports).toEqual([]);
  });
});
