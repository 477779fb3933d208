import { describe, expect, it } from "vitest";
import { LoginThrottle } from "../../server/auth/login-throttle";

const limits = { windowMs: 60_000, perAccountAndIp: 3, perIp: 5, accountSlowdownAfter: 4, slowdownMs: 500 };

describe("LoginThrottle", () => {
  it("blocks an (account, IP) pair, not the account", () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 3; i++) t.failed("a@x", "1.1.1.1", 1000);
    expect(t.check("a@x", "1.1.1.1", 1000)).toMatchObject({ allowed: false, retryAfterS: 60 });
    expect(t.check("a@x", "2.2.2.2", 1000)).toMatchObject({ allowed: true, delayMs: 0 });
    expect(t.check("a@x", "1.1.1.1", 61_001)).toMatchObject({ allowed: true });
  });
  it("blocks an IP spraying many accounts", () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 5; i++) t.failed(`u${i}@x`, "6.6.6.6", 0);
    expect(t.check("fresh@x", "6.6.6.6", 0)).toMatchObject({ allowed: false });
  });
  it("only slows an account attacked from many IPs", () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 4; i++) t.failed("a@x", `9.9.9.${i}`, 0);
    expect(t.check("a@x", "8.8.8.8", 0)).toEqual({ allowed: true, delayMs: 500 });
  });
  it("a success clears that pair", () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 2; i++) t.failed("a@x", "1.1.1.1", 0);
    t.succeeded("a@x", "1.1.1.1");
    t.failed("a@x", "1.1.1.1", 0);
    expect(t.check("a@x", "1.1.1.1", 0)).toMatchObject({ allowed: true });
  });
});
