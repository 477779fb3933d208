import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAgentCommand, ZUploadRead } from "../../agents/protocol";
import { InFlight } from "../../server/domain/commands/in-flight";

describe("in-flight commands: an agent reaches only its own host's upload", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pt-inflight-"));
  const file = path.join(dir, "upload.tar");
  fs.writeFileSync(file, Buffer.from("0123456789"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("serves slices, marks the end, and refuses other hosts, other commands and released ones", async () => {
    const inFlight = new InFlight();
    const release = inFlight.add("cmd-00001", "host-a", { upload: { path: file, sizeBytes: 10 } });
    const first = await inFlight.readUpload("host-a", { commandId: "cmd-00001", offset: 0, length: 4 });
    expect([Buffer.from(first.data).toString(), first.eof]).toEqual(["0123", false]);
    const last = await inFlight.readUpload("host-a", { commandId: "cmd-00001", offset: 8, length: 4 });
    expect([Buffer.from(last.data).toString(), last.eof]).toEqual(["89", true]);
    await expect(inFlight.readUpload("host-b", { commandId: "cmd-00001", offset: 0, length: 4 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(inFlight.readUpload("host-a", { commandId: "cmd-00002", offset: 0, length: 4 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(inFlight.readUpload("host-a", { commandId: "cmd-00001", offset: 11, length: 4 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    release();
    await expect(inFlight.readUpload("host-a", { commandId: "cmd-00001", offset: 0, length: 4 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("forwards progress only from the command's own host", () => {
    const inFlight = new InFlight();
    const seen: string[] = [];
    inFlight.add("cmd-00003", "host-a", { onProgress: (p) => seen.push(p.status) });
    inFlight.progress("host-b", { commandId: "cmd-00003", status: "forged" });
    inFlight.progress("host-a", { commandId: "cmd-00003", status: "real" });
    expect(seen).toEqual(["real"]);
  });

  it("bounds a read to one slice", () => {
    expect(ZUploadRead.safeParse({ commandId: "cmd-00001", offset: 0, length: 2 * 1024 * 1024 }).success).toBe(false);
  });
});

describe("control command params (the allow-list)", () => {
  it.each([
    ["image.pull", { reference: "library/alpine:3.19" }],
    ["image.pull", { reference: "registry.local:5000/team/app@sha256:" + "a".repeat(64) }],
    ["image.remove", { imageId: "sha256:" + "b".repeat(64), force: true }],
    ["volume.create", { name: "data", labels: { a: "b" } }],
    ["network.create", { name: "backend", subnet: "10.1.0.0/24", gateway: "10.1.0.1" }],
    ["container.create", { spec: { image: "local/busybox:latest" }, start: false }],
  ])("accepts %s %j", (action, params) => {
    expect(parseAgentCommand(action, params).success).toBe(true);
  });

  it.each([
    ["a traversal in a pull", "image.pull", { reference: "../../etc" }],
    ["an uppercase repository", "image.pull", { reference: "Library/Alpine" }],
    ["a path as a volume name", "volume.remove", { name: "a/b" }],
    ["a query in a network id", "network.remove", { networkId: "x?force=1" }],
    ["a raw Docker field in a spec", "container.create", { spec: { image: "x", HostConfig: { Privileged: true } } }],
    ["an unknown driver", "volume.create", { name: "data", driver: "nfs" }],
    ["an import without a hash", "image.import", { repository: "local/x", tag: "v1", sizeBytes: 10 }],
    ["an unknown action", "image.push", { reference: "x" }],
  ])("refuses %s", (_, action, params) => {
    expect(parseAgentCommand(action, params).success).toBe(false);
  });
});
