// Preloaded into the benchmarked server (`node --import`): no server code changes. Every second it
// appends one JSON line to $PORTOLAN_BENCH_PROBE_FILE: the event loop's delay over that second and
// how many websocket frames the server received (every agent and browser message is one frame).
// To $PORTOLAN_BENCH_PROBE_FILE.changes it appends when each probe container's change came in and went out.
import fs from "node:fs";
import { createRequire } from "node:module";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.PORTOLAN_BENCH_PROBE_FILE;
if (file) {
  const require = createRequire(import.meta.url);
  const { WebSocket } = require("ws"); // the same instance engine.io uses (one node_modules/ws)
  let frames = 0;
  // Probe containers' changes (their restartCount is the probe's sequence number) as they come in from
  // an agent and go out to browsers: where on the server a UI update spent its time.
  const changes = [];
  const noteProbes = (dir, text, containersOf) => {
    try {
      const [, payload] = JSON.parse(text.slice(text.indexOf("[")));
      for (const c of containersOf(payload)) if (/^bench-probe-\d+$/.test(c?.name)) changes.push({ dir, name: c.name, seq: c.restartCount, at: Date.now() });
    } catch {
      /* not a frame of ours */
    }
  };
  const emit = WebSocket.prototype.emit;
  WebSocket.prototype.emit = function (event, ...args) {
    if (event === "message") {
      frames++;
      const data = args[0];
      if (Buffer.isBuffer(data) && data.includes('"container:change"') && data.includes("bench-probe-")) noteProbes("in", data.toString(), (change) => [change.container]);
    }
    return emit.call(this, event, ...args);
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data, ...rest) {
    if (typeof data === "string" && data.includes('"fleet:changed"') && data.includes("bench-probe-")) noteProbes("out", data, (list) => list.flatMap((c) => c.containers ?? []));
    return send.call(this, data, ...rest);
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
  setInterval(() => {
    const mem = process.memoryUsage();
    const line = { at: Date.now(), frames, loopP50Ms: ms(loop.percentile(50)), loopP99Ms: ms(loop.percentile(99)), loopMaxMs: ms(loop.max), rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external, arrayBuffers: mem.arrayBuffers };
    frames = 0;
    loop.reset();
    fs.appendFileSync(file, JSON.stringify(line) + "\n");
    if (changes.length) fs.appendFileSync(`${file}.changes`, changes.splice(0).map((c) => JSON.stringify(c) + "\n").join(""));
  }, 1_000).unref();
}
