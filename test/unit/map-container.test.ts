import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ZContainer } from "../../agents/protocol";
import { ZDockerInspect, ZDockerSummary } from "../../agents/host/runtime/docker-schemas";
import { mapContainer } from "../../agents/host/runtime/map-container";

const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/docker", name), "utf8"));

describe("mapContainer (recorded Docker 20.10 responses)", () => {
  const list = (fixture("list.json") as unknown[]).map((s) => ZDockerSummary.parse(s));
  const running = list.find((s) => s.Names[0] === "/fx-web")!;
  const exited = list.find((s) => s.Names[0] === "/fx-exited")!;

  it("maps a running container with a published port, labels and network", () => {
    const c = mapContainer(running, ZDockerInspect.parse(fixture("inspect-running.json")));
    expect(ZContainer.parse(c)).toEqual(c);
    expect(c).toMatchObject({ name: "fx-web", image: "local/busybox:latest", state: "running", command: "httpd -f -p 80", restartCount: 0, health: "none" });
    expect(c.labels).toEqual({ "portolan.test": "1", tier: "web" });
    expect(c.ports).toEqual([{ privatePort: 80, publicPort: 18080, ip: "127.0.0.1", protocol: "tcp" }]);
    expect(c.networks[0]).toMatchObject({ name: "bridge" });
    expect(c.networks[0]!.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(c.startedAt).toBeGreaterThan(c.createdAt - 1000);
    expect(c).toMatchObject({ exitCode: null, finishedAt: null });
    expect(c.status).toMatch(/^Up /);
  });

  it("maps an exited container: no start time kept as null only when never started", () => {
    const c = mapContainer(exited, ZDockerInspect.parse(fixture("inspect-exited.json")));
    expect(c.state).toBe("exited");
    expect(c.status).toMatch(/^Exited \(3\)/);
    expect(c.exitCode).toBe(3);
    expect(c.finishedAt).toBeGreaterThan(c.createdAt);
    expect(c.ports).toEqual([]);
  });

  it("treats Docker's zero time as never started and unknown states as dead", () => {
    const inspect = ZDockerInspect.parse({ Id: running.Id, State: { Status: "weird", StartedAt: "0001-01-01T00:00:00Z" } });
    const c = mapContainer(running, inspect);
    expect(c.startedAt).toBeNull();
    expect(c.state).toBe("dead");
  });

  it("lists a binding published on both address families once per address", () => {
    const summary = ZDockerSummary.parse({
      ...running,
      Ports: [
        { IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8080, Type: "tcp" },
        { IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8080, Type: "tcp" },
        { IP: "::", PrivatePort: 80, PublicPort: 8080, Type: "tcp" },
        { PrivatePort: 53, Type: "udp" },
      ],
    });
    expect(mapContainer(summary, null).ports).toEqual([
      { privatePort: 53, publicPort: null, ip: null, protocol: "udp" },
      { privatePort: 80, publicPort: 8080, ip: "0.0.0.0", protocol: "tcp" },
      { privatePort: 80, publicPort: 8080, ip: "::", protocol: "tcp" },
    ]);
  });
});
