import { describe, expect, it } from "vitest";
import type { FleetContainer } from "../../app/_components/trpc";
import { matchesSearch } from "../../app/_components/fleet-search";

const c = (over: Partial<FleetContainer>): FleetContainer =>
  ({ id: "4fd947c1b4ca".padEnd(64, "0"), name: "Web-Frontend", image: "nginx:1.27-alpine", labels: { "com.example.team": "Payments" }, hostId: "h", hostName: "h", hostOnline: true, ...over }) as FleetContainer;

describe("fleet search", () => {
  it("matches an id prefix, or a case-insensitive part of the name, the image or a key=value label", () => {
    const x = c({});
    for (const needle of ["", "4fd9", "web-front", "frontend", "nginx:1.27", "alpine", "team=pay", "com.example.team=payments", "="]) expect(matchesSearch(x, needle)).toBe(true);
    for (const needle of ["c1b4", "redis", "team=ops", "frontendnginx", "payments=", "0000x"]) expect(matchesSearch(x, needle)).toBe(false);
  });

  it("answers the same for the same object again, and reads a replaced object afresh", () => {
    const before = c({});
    expect(matchesSearch(before, "frontend")).toBe(true);
    expect(matchesSearch(before, "frontend")).toBe(true); // cached text
    const renamed = { ...before, name: "api", labels: {} };
    expect(matchesSearch(renamed, "frontend")).toBe(false);
    expect(matchesSearch(renamed, "api")).toBe(true);
  });
});
