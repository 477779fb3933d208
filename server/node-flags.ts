/**
 * V8 flags the server runs with (`npm start` passes them in NODE_OPTIONS; the test and bench
 * launcher passes them on the command line; a unit test keeps the two the same).
 *
 * A 64 MiB young generation: each agent's latest metrics tick is kept for about a second. With the
 * default (16 MiB) a busy server scavenges several times a second, so those ticks are promoted and
 * die in the old generation, which only a full mark-compact frees. Measured at 2,000 agents: GC from
 * 12% to 10% of the CPU profile (bench/fleet-scale.ts).
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=64"] as const;
