/** What bench/run.ts finds in every top-level bench/*.ts file: `export const benchmark: Benchmark`. */
export type Benchmark = {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<void>;
};

export type BenchContext = {
  /** Command-line flags after `npm run bench --` (e.g. ["--rounds", "5"]). */
  argv: string[];
  /** Undo steps, run in reverse order when the benchmark ends, fails or the run is interrupted. */
  cleanup: Cleanup;
};

export class Cleanup {
  private steps: { label: string; fn: () => unknown }[] = [];

  add(label: string, fn: () => unknown): void {
    this.steps.push({ label, fn });
  }

  /** Runs every step once, newest first; a failing step is reported and the rest still run. */
  async runAll(): Promise<void> {
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step.fn();
      } catch (err) {
        process.stderr.write(`cleanup "${step.label}" failed: ${(err as Error).message}\n`);
      }
    }
  }
}

/** `--name N` (or `--name=N`) as a positive integer, else the default. */
export function intFlag(argv: string[], name: string, fallback: number): number {
  const raw = flagValue(argv, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  return n;
}

export function stringFlag(argv: string[], name: string, fallback: string): string {
  return flagValue(argv, name) ?? fallback;
}

function flagValue(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const arg = argv[i]!;
  return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[i + 1];
}
