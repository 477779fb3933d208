/**
 * Sign-in throttling that an attacker cannot turn into a lock-out: failures are counted per
 * (account, IP) and per IP, and those are blocked for the window. Failures per account across all IPs
 * only slow further attempts down, so the owner can still sign in from their own address.
 */
export type ThrottleVerdict = { allowed: true; delayMs: number } | { allowed: false; retryAfterS: number; reason: string };

export type ThrottleLimits = { windowMs: number; perAccountAndIp: number; perIp: number; accountSlowdownAfter: number; slowdownMs: number };

export const DEFAULT_LIMITS: ThrottleLimits = { windowMs: 15 * 60_000, perAccountAndIp: 5, perIp: 30, accountSlowdownAfter: 10, slowdownMs: 1000 };

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits = DEFAULT_LIMITS) {}

  check(email: string, ip: string, now = Date.now()): ThrottleVerdict {
    const pair = this.recent(`pair:${email}|${ip}`, now);
    if (pair.length >= this.limits.perAccountAndIp) return this.blocked(pair, now, "too many failed sign-ins for this account from your address");
    const byIp = this.recent(`ip:${ip}`, now);
    if (byIp.length >= this.limits.perIp) return this.blocked(byIp, now, "too many failed sign-ins from your address");
    const account = this.recent(`account:${email}`, now).length;
    return { allowed: true, delayMs: account >= this.limits.accountSlowdownAfter ? this.limits.slowdownMs : 0 };
  }

  failed(email: string, ip: string, now = Date.now()): void {
    for (const key of [`pair:${email}|${ip}`, `ip:${ip}`, `account:${email}`]) this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 100_000) this.prune(now);
  }

  succeeded(email: string, ip: string): void {
    this.failures.delete(`pair:${email}|${ip}`);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
  }

  private blocked(times: number[], now: number, reason: string): ThrottleVerdict {
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((times[0]! + this.limits.windowMs - now) / 1000)), reason };
  }

  private prune(now: number): void {
    for (const key of this.failures.keys()) if (!this.recent(key, now).length) this.failures.delete(key);
  }
}
