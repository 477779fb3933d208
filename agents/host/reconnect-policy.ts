/**
 * When an agent dials the server again. After a server restart thousands of agents lose their link
 * at once: exponential backoff with ±50% jitter spreads their returns out. The load generator's
 * simulated agents (bench/support/sim-agent.ts) import this, so a reconnect storm is measured with
 * the real schedule.
 */

/**
 * socket.io-client's own retry (transport closed, server unreachable): 1 s doubling to 10 s, ±50%. The cap
 * is what a host whose link was cut for minutes waits at most once the link is back (up to 15 s).
 */
export const RECONNECT_OPTIONS = { reconnectionDelay: 1_000, reconnectionDelayMax: 10_000, randomizationFactor: 0.5 } as const;

/** socket.io does not retry after a server-side disconnect: the agent waits this long (attempt 0, 1, …). */
export function redialDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5)) * (0.5 + random());
}
