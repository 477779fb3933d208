// How the agent process is started (the install command, quickstart, benchmarks and tests). Measured
// in bench/metrics-cost.ts: the agent's target is ≤ 60 MB RSS, and about a third of a plain `node`
// agent's memory was allocator and heap slack, not data. None of these change what the agent does.

/**
 * glibc malloc settings (read at process start, so they must be in the environment):
 * - one arena instead of one per thread (V8 and libuv worker threads each kept their own);
 * - a fixed mmap threshold: glibc's adaptive one rises after V8 frees its large compile-time buffers,
 *   so later ones came from the heap and stayed resident; with it they go back to the kernel.
 */
export const AGENT_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: "1",
  MALLOC_MMAP_THRESHOLD_: "65536",
};

/**
 * V8 flags, each measured with 100 containers at 1 Hz (bench/metrics-cost.ts):
 * - a 1 MB young generation (it otherwise grows to 16 MB per semi-space during the first snapshot
 *   and stays resident);
 * - `--single-threaded`: no background compile and GC threads (their stacks and buffers), and
 *   `--optimize-for-size`, `--no-sparkplug` (no baseline code beside the bytecode): together about
 *   3 MiB less at peak over 5 minutes (59.3 vs 62+ MiB), with no CPU difference the benchmark can see
 *   (the agent does ~7 ms of work a second, none of it latency-bound).
 * Not used: `--max-opt=2` (no TurboFan) saves ~3.5 MB more of node binary pages but costs ~25% more CPU;
 * `--heap-growing-percent` and `--initial-old-space-size` made no difference to the peak.
 */
export const AGENT_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=1", "--single-threaded", "--optimize-for-size", "--no-sparkplug"];

/** The shell command that runs the agent bundle `file` with the settings above (env assignments first). */
export function agentLaunchCommand(file: string): string {
  const env = Object.entries(AGENT_ENV).map(([k, v]) => `${k}=${v}`);
  return [...env, "node", ...AGENT_NODE_FLAGS, file].join(" ");
}
