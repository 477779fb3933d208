import { describe, expect, it } from "vitest";
import { loadAgentConfig } from "../../agents/host/config";

describe("loadAgentConfig", () => {
  it("reads the server URL, token, state dir and engine", () => {
    const c = loadAgentConfig({ PORTOLAN_URL: "http://10.0.0.5:3000/", PORTOLAN_ENROLL_TOKEN: " pet_x ", PORTOLAN_STATE_DIR: "/tmp/s", DOCKER_HOST: "unix:///run/d.sock" });
    expect(c).toMatchObject({ serverUrl: "http://10.0.0.5:3000", enrollToken: "pet_x", stateDir: "/tmp/s", dockerHost: "unix:///run/d.sock" });
  });

  it("lets an enrolled agent start without PORTOLAN_URL and defaults the engine socket", () => {
    const c = loadAgentConfig({ PORTOLAN_STATE_DIR: "/tmp/s" });
    expect(c.serverUrl).toBeUndefined();
    expect(c.dockerHost).toBe("unix:///var/run/docker.sock");
  });

  it.each(["ftp://server", "not a url", "javascript:alert(1)"])("refuses PORTOLAN_URL=%s with a clear message", (url) => {
    expect(() => loadAgentConfig({ PORTOLAN_URL: url })).toThrow(/PORTOLAN_URL must be an http\(s\) URL/);
  });
});
