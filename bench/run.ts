// Runs every benchmark in bench/ (each top-level *.ts file but this one exports `benchmark`).
// `npm run bench -- [--only name,name] [flags for the benchmarks]`
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Cleanup, stringFlag, type Benchmark } from "./support/benchmark";

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const only = stringFlag(argv, "only", "").split(",").filter(Boolean);
  const files = fs.readdirSync(import.meta.dirname).filter((f) => f.endsWith(".ts") && f !== "run.ts").sort();
  const benchmarks: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(import.meta.dirname, file)).href)) as { benchmark?: Benchmark };
    if (!mod.benchmark) throw new Error(`bench/${file} exports no \`benchmark\``);
    if (only.length === 0 || only.includes(mod.benchmark.name)) benchmarks.push(mod.benchmark);
  }
  if (benchmarks.length === 0) throw new Error(`no benchmark matches --only ${only.join(",")}`);

  let failed = 0;
  let stopping = false;
  for (const b of benchmarks) {
    console.log(`== ${b.name}: ${b.description}`);
    const cleanup = new Cleanup();
    // Ctrl-C or a kill still removes what the benchmark made (its processes run in their own groups).
    const interrupted = (signal: NodeJS.Signals) => {
      stopping = true;
      console.error(`\n${signal}: cleaning up ${b.name}`);
      void cleanup.runAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    };
    process.once("SIGINT", interrupted).once("SIGTERM", interrupted);
    try {
      await b.run({ argv, cleanup });
    } catch (err) {
      failed += 1;
      if (!stopping) console.error(`${b.name} failed: ${(err as Error).stack ?? String(err)}`);
    } finally {
      await cleanup.runAll();
      process.off("SIGINT", interrupted).off("SIGTERM", interrupted);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.stack ?? err.message);
    process.exit(1);
  },
);
