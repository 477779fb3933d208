import { z } from "zod";
import type { Socket } from "socket.io";

/**
 * Inbound message budget of one agent socket: a token bucket. A real agent sends a snapshot and bursts of
 * engine events and log batches at startup, then ~1 metrics message a second, so the defaults (200/s
 * sustained, bursts of 2,000) leave it far from the limit; a socket that keeps the bucket empty for
 * `abuseSeconds` is flooding and is cut off.
 */
export type AgentRateLimits = { ratePerSecond: number; burst: number; abuseSeconds: number };

const ZLimitsEnv = z.object({
  PORTOLAN_AGENT_RATE: z.coerce.number().positive().max(1_000_000).default(200),
  PORTOLAN_AGENT_BURST: z.coerce.number().int().positive().max(10_000_000).default(2_000),
  PORTOLAN_AGENT_ABUSE_SECONDS: z.coerce.number().positive().max(3_600).default(5),
});

export function agentRateLimitsFromEnv(env: Record<string, string | undefined> = process.env): AgentRateLimits {
  const e = ZLimitsEnv.parse(env);
  return { ratePerSecond: e.PORTOLAN_AGENT_RATE, burst: e.PORTOLAN_AGENT_BURST, abuseSeconds: e.PORTOLAN_AGENT_ABUSE_SECONDS };
}

export type Verdict = "pass" | "drop" | "abuse";

/** Counts one message; "abuse" once messages were dropped in each of `abuseSeconds` consecutive seconds. */
export class MessageBudget {
  private tokens: number;
  private refilledAt: number;
  private windowStart: number;
  private droppedThisWindow = 0;
  /** Consecutive whole seconds, up to the current one, in which something was dropped. */
  private droppingSeconds = 0;
  dropped = 0;

  constructor(
    private readonly limits: AgentRateLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limits.burst;
    this.refilledAt = this.windowStart = now();
  }

  take(): Verdict {
    const now = this.now();
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.ratePerSecond);
    this.refilledAt = now;
    this.roll(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return "pass";
    }
    this.dropped++;
    this.droppedThisWindow++;
    return this.droppingSeconds >= this.limits.abuseSeconds ? "abuse" : "drop";
  }

  /** Closes finished one-second windows: a second without drops (or without messages) ends the streak. */
  private roll(now: number): void {
    const elapsed = Math.floor((now - this.windowStart) / 1000);
    if (elapsed < 1) return;
    this.droppingSeconds = elapsed === 1 && this.droppedThisWindow > 0 ? this.droppingSeconds + 1 : 0;
    this.droppedThisWindow = 0;
    this.windowStart += elapsed * 1000;
  }
}

/**
 * Applies the budget to every packet a socket sends (any event name, before it is parsed or handled):
 * over the budget the message is dropped and acknowledged with RATE_LIMITED; sustained abuse calls `onAbuse` once.
 */
export function limitAgentRate(socket: Socket, limits: AgentRateLimits, onAbuse: (dropped: number) => void): void {
  const budget = new MessageBudget(limits);
  let reported = false;
  socket.use((packet, next) => {
    const verdict = budget.take();
    if (verdict === "pass") return next();
    const ack = packet.at(-1);
    if (typeof ack === "function") ack({ ok: false, error: { code: "RATE_LIMITED", message: `over ${limits.ratePerSecond} messages/s: dropped` } });
    if (verdict === "abuse" && !reported) {
      reported = true;
      onAbuse(budget.dropped);
    }
  });
}
