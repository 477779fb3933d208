export type BackoffOptions = {
  /** Delay after the first failed attempt. */
  baseMs: number;
  /** No delay is ever longer than this. */
  maxMs: number;
  /** Attempts in all (the first one included) before a delivery is given up. */
  maxAttempts: number;
  /** Up to this fraction of the delay is added at random, so many failed deliveries do not retry in step. */
  jitter: number;
};

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 10 * 60_000, maxAttempts: 10, jitter: 0.2 };

/**
 * The wait before the next attempt after `failedAttempts` failures (1 = the first attempt failed):
 * base · 2^(n-1), capped at maxMs, plus jitter; null when no attempt is left.
 */
export function nextRetryDelay(failedAttempts: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number | null {
  if (failedAttempts >= opts.maxAttempts) return null;
  const exponential = opts.baseMs * 2 ** Math.max(0, failedAttempts - 1);
  const capped = Math.min(opts.maxMs, exponential);
  return Math.min(opts.maxMs, Math.round(capped * (1 + opts.jitter * random())));
}
