import { describe, expect, it } from "vitest";
import { toRuntimeError } from "../../agents/host/runtime/runtime-error";
import { ZContainerCommand, ZContainerRef } from "../../agents/protocol";
import { CommandService } from "../../server/domain/commands/command-service";
import type { Db } from "../../server/db/client";
import { createServerLogger } from "../../server/log";

const FULL_ID = "a".repeat(64);

describe("container references", () => {
  it.each([FULL_ID, "0123456789ab", "web", "my_app.v2-1", "A".repeat(128)])("accepts %s", (ref) => {
    expect(ZContainerRef.safeParse(ref).success).toBe(true);
  });

  it.each([
    ["a parent path", "../x"],
    ["a bare parent", ".."],
    ["percent-encoded dots", "%2e%2e"],
    ["percent-encoded slash", "a%2Fb"],
    ["a slash", "a/b"],
    ["a leading slash", "/web"],
    ["a query", "web?force=1"],
    ["whitespace", "web 1"],
    ["empty", ""],
    ["129 chars", "a".repeat(129)],
    ["a 1 MB string", "a".repeat(1024 * 1024)],
    ["a leading dot", ".hidden"],
  ])("refuses %s", (_, ref) => {
    expect(ZContainerRef.safeParse(ref).success).toBe(false);
  });
});

describe("command params (the allow-list)", () => {
  it.each([
    { action: "start", params: { containerId: "web" } },
    { action: "stop", params: { containerId: "web", timeout: 0 } },
    { action: "restart", params: { containerId: "web", timeout: 600 } },
    { action: "kill", params: { containerId: "web", signal: "SIGUSR1" } },
    { action: "kill", params: { containerId: "web" } },
    { action: "remove", params: { containerId: FULL_ID, force: true, volumes: false } },
    { action: "rename", params: { containerId: "web", name: "web-2" } },
    { action: "pause", params: { containerId: "web" } },
    { action: "unpause", params: { containerId: "web" } },
  ])("accepts $action $params", (command) => {
    expect(ZContainerCommand.safeParse(command).success).toBe(true);
  });

  it.each([
    ["an unknown action", { action: "exec", params: { containerId: "web", cmd: "sh" } }],
    ["a stop timeout over 600 s", { action: "stop", params: { containerId: "web", timeout: 601 } }],
    ["a negative timeout", { action: "restart", params: { containerId: "web", timeout: -1 } }],
    ["a fractional timeout", { action: "stop", params: { containerId: "web", timeout: 1.5 } }],
    ["a signal outside the list", { action: "kill", params: { containerId: "web", signal: "SIGSEGV" } }],
    ["a numeric signal", { action: "kill", params: { containerId: "web", signal: 9 } }],
    ["a rename to a path", { action: "rename", params: { containerId: "web", name: "../etc" } }],
    ["a rename to 129 chars", { action: "rename", params: { containerId: "web", name: "n".repeat(129) } }],
    ["a param of another action", { action: "start", params: { containerId: "web", force: true } }],
    ["a traversal id", { action: "remove", params: { containerId: "../../containers/x", force: true } }],
    ["a 1 MB id", { action: "start", params: { containerId: "a".repeat(1024 * 1024) } }],
    ["no container", { action: "start", params: {} }],
  ])("refuses %s", (_, command) => {
    expect(ZContainerCommand.safeParse(command).success).toBe(false);
  });

  it("is checked before the server touches the database", async () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error("database touched"); } }) as Db;
    const service = new CommandService({ db: untouchable, serverKey: { publicKey: "", sign: () => "" }, log: createServerLogger("silent") });
    const actor = { id: "u1", email: "a@example.com", sourceIp: null };
    await expect(service.send({ hostId: "h", action: "rename", params: { containerId: "%2e%2e", name: "x" }, actor })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("containerId"),
    });
    await expect(service.send({ hostId: "h", action: "exec" as never, params: { containerId: "web" }, actor })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("Docker errors keep their words", () => {
  const dockerError = (statusCode: number | undefined, reason?: string, json?: unknown) =>
    Object.assign(new Error(`(HTTP code ${statusCode}) ${reason} - `), { statusCode, reason, json });

  it.each([
    [dockerError(304, "container already stopped"), "NOT_MODIFIED", "container already stopped"],
    [dockerError(304, "container already started"), "NOT_MODIFIED", "container already started"],
    [dockerError(404, "no such container", { message: "No such container: web" }), "NO_SUCH_CONTAINER", "no such container: web"],
    [dockerError(409, "conflict", { message: "Container abc is not paused" }), "CONFLICT", "Container abc is not paused"],
    [dockerError(500, "server error", { message: "cannot kill container: permission denied" }), "DOCKER_ERROR", "cannot kill container: permission denied"],
    [Object.assign(new Error("connect ENOENT /var/run/docker.sock"), { code: "ENOENT" }), "RUNTIME_UNAVAILABLE", "cannot reach the Docker engine: connect ENOENT /var/run/docker.sock"],
  ])("%#: %s", (err, code, message) => {
    expect(toRuntimeError(err, "web")).toMatchObject({ code, message });
  });
});
