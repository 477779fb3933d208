import { describe, expect, it } from "vitest";
import { clientIp } from "../../server/http/client-ip";
import { plainText } from "../../server/text/plain-text";

describe("clientIp", () => {
  const proxies = new Set(["10.0.0.2", "10.0.0.3"]);
  it("ignores X-Forwarded-For from a peer that is not a configured proxy", () => {
    expect(clientIp("203.0.113.9", "1.2.3.4", proxies)).toBe("203.0.113.9");
    expect(clientIp("::ffff:203.0.113.9", "1.2.3.4", new Set())).toBe("203.0.113.9");
  });
  it("takes the first untrusted hop from the right behind trusted proxies", () => {
    expect(clientIp("10.0.0.2", "1.2.3.4", proxies)).toBe("1.2.3.4");
    // The client prepended a fake address; the proxy appended the real one.
    expect(clientIp("10.0.0.2", "6.6.6.6, 198.51.100.4, 10.0.0.3", proxies)).toBe("198.51.100.4");
    expect(clientIp("10.0.0.2", undefined, proxies)).toBe("10.0.0.2");
  });
});

describe("plainText", () => {
  it("turns terminal escapes and bidi overrides into visible text", () => {
    expect(plainText("\u001b[31mred\u001b[0m")).toBe("\\u001b[31mred\\u001b[0m");
    expect(plainText("evil\u202egnp.exe")).toBe("evil\\u202egnp.exe");
    expect(plainText("tab\tand unicode ✓ stay")).toBe("tab\tand unicode ✓ stay");
  });
});
