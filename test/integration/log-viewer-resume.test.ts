import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogStore } from "../../app/_components/logs/log-store";
import { LogSubscriptions, type StreamState } from "../../app/_components/logs/log-subscriptions";
import { startControlEnv, type ControlEnv } from "../support/control-env";
import { docker } from "../support/docker-cli";
import { waitFor } from "../support/test-services";

// The viewer's own store and subscriptions on a real /live socket (reconnecting like the tab's) against
// the real server and agent: a dropped websocket resumes strictly after the last stored line.
const IMAGE = "local/busybox:latest";
let env: ControlEnv;
let socket: Socket | undefined;

beforeAll(async () => {
  env = await startControlEnv("viewer-resume");
}, 60_000);
afterAll(async () => {
  socket?.disconnect();
  await env?.stop();
});

describe("[LOGS][VIEWER] resume after a websocket reconnect", () => {
  it("stores every line exactly once and in order across two dropped connections", async () => {
    const total = 300;
    const id = (
      await docker(["run", "-d", "--name", env.name("resume"), "--label", "portolan.test=1", "--label", `portolan.run=${env.run}`, IMAGE, "sh", "-c", `i=0; while [ $i -lt ${total} ]; do i=$((i+1)); echo "n $i"; usleep 20000; done; sleep 3600`])
    ).trim();
    await waitFor(() => env.services.registry.get(env.hostId)?.containers.get(id), "container known to the server");

    const res = await env.services.auth.api.signInEmail({ body: { email: "viewer@viewer-resume.test", password: "correct-horse-battery" }, asResponse: true });
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
    socket = io(env.server.url + "/live", { transports: ["websocket"], reconnectionDelay: 100, reconnectionDelayMax: 200, forceNew: true, extraHeaders: { cookie, origin: env.server.url } });
    const store = new LogStore(10_000);
    const states: StreamState[] = [];
    const subs = new LogSubscriptions(socket, store, { tail: 1000, follow: true }, (st) => {
      const s = st[0]?.state;
      if (s && states[states.length - 1] !== s) states.push(s);
    });
    subs.setTargets([{ hostId: env.hostId, containerId: id, hostName: "resume-host", containerName: "resume" }]);
    const numbers = () => Array.from({ length: store.size }, (_, i) => Number(store.textAt(i).split(" ")[1]));

    for (const after of [60, 160]) {
      await waitFor(() => store.size >= after, `${after} lines before the drop`, 30_000);
      socket.io.engine.close(); // the websocket goes away; socket.io reconnects by itself
      await waitFor(() => states.includes("reconnecting"), "the stream noticed", 10_000);
    }
    await waitFor(() => store.size >= total, "every line after the reconnects", 60_000);
    await new Promise((r) => setTimeout(r, 500)); // anything extra would arrive now

    const markers = Array.from({ length: store.size }, (_, i) => store.markerAt(i)).filter(Boolean);
    expect(markers).toEqual([]); // the engine had every line: no gap
    expect(numbers()).toEqual(Array.from({ length: total }, (_, k) => k + 1));
    expect(states.filter((s) => s === "reconnecting")).toHaveLength(2);
    expect(states[states.length - 1]).toBe("live");
    subs.dispose();
  }, 120_000);
});
