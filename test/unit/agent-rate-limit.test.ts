import { describe, expect, it } from "vitest";
import { MessageBudget, agentRateLimitsFromEnv } from "../../server/realtime/agent-rate-limit";

function budget(limits = { ratePerSecond: 200, burst: 2_000, abuseSeconds: 5 }) {
  let now = 1_000_000;
  const b = new MessageBudget(limits, () => now);
  return { b, advance: (ms: number) => void (now += ms) };
}

describe("agent message budget", () => {
  it("passes a startup burst and a steady 1 Hz load", () => {
    const { b, advance } = budget();
    for (let i = 0; i < 2_000; i++) expect(b.take()).toBe("pass");
    for (let s = 0; s < 60; s++) {
      advance(1_000);
      for (let i = 0; i < 50; i++) expect(b.take()).toBe("pass"); // 50 messages a second, for a minute
    }
    expect(b.dropped).toBe(0);
  });

  it("drops past the burst, and calls it abuse once the flood lasts abuseSeconds", () => {
    const { b, advance } = budget();
    const verdicts: string[] = [];
    for (let ms = 0; ms < 6_000; ms++) {
      advance(1);
      for (let i = 0; i < 10; i++) verdicts.push(b.take()); // 10,000 a second
    }
    expect(verdicts.slice(0, 2_000).every((v) => v === "pass")).toBe(true);
    expect(verdicts).toContain("drop");
    const firstAbuse = verdicts.indexOf("abuse");
    expect(firstAbuse).toBeGreaterThan(0);
    // Refusals start after ~0.2 s (2,000 burst against 10,000/s); abuse once 5 whole seconds had refusals.
    expect(firstAbuse / 10_000).toBeGreaterThanOrEqual(4.99); // 10 messages per ms: index / 10,000 = seconds
    expect(firstAbuse / 10_000).toBeLessThan(6.1);
  });

  it("is not fooled by a flood sent in batches with pauses that refill a few tokens", () => {
    const { b, advance } = budget();
    let abuseAt = -1;
    for (let ms = 0; ms < 8_000 && abuseAt < 0; ms += 13) {
      advance(13);
      for (let i = 0; i < 100; i++) if (b.take() === "abuse") abuseAt = ms;
    }
    expect(abuseAt).toBeGreaterThan(4_000);
    expect(abuseAt).toBeLessThan(7_000);
  });

  it("forgives a sender that slows down to the budget", () => {
    const { b, advance } = budget({ ratePerSecond: 10, burst: 10, abuseSeconds: 2 });
    for (let i = 0; i < 15; i++) b.take();
    expect(b.dropped).toBe(5);
    for (let s = 0; s < 10; s++) {
      advance(1_000);
      for (let i = 0; i < 5; i++) expect(b.take()).toBe("pass");
    }
  });

  it("reads its limits from the environment", () => {
    expect(agentRateLimitsFromEnv({})).toEqual({ ratePerSecond: 200, burst: 2_000, abuseSeconds: 5 });
    expect(agentRateLimitsFromEnv({ PORTOLAN_AGENT_RATE: "50", PORTOLAN_AGENT_BURST: "100", PORTOLAN_AGENT_ABUSE_SECONDS: "2" })).toEqual({ ratePerSecond: 50, burst: 100, abuseSeconds: 2 });
    expect(() => agentRateLimitsFromEnv({ PORTOLAN_AGENT_RATE: "-1" })).toThrow();
  });
});
