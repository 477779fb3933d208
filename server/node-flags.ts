/**
 * V8 flags the server runs with (`npm start` passes them to node through tsx; the test and bench
 * launcher passes them on the command line; a unit test keeps the two the same).
 *
 * A 64 MiB young generation: each agent's latest metrics tick is kept for about a second. With the
 * default (16 MiB) a busy server scavenges several times a second, so those ticks are promoted and
 * die in the old generation, which only a full mark-compact frees. Measured at 2,000 agents: GC from
 * 12% to 10% of the CPU profile (bench/fleet-scale.ts).
 *
 * GC on the main thread only: on one core (or a CPU quota of one), V8's four concurrent-marking
 * workers each took a fair share of the CPU during a major GC, and the event loop, where agents and
 * browsers are served, got a fifth of it. Measured at 2,000 agents on one core: the main thread
 * waited 340 ms of a half second on the run queue while four helper threads ran 80 ms each, and UI
 * update p99 fell from 340–460 ms to 245 ms with this flag. Incremental marking on the main thread
 * runs in steps of about a millisecond between tasks instead. With spare cores it costs the main
 * thread the marking work the helpers did (a few ms a second at 2,000 agents).
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=64", "--single-threaded-gc"] as const;
