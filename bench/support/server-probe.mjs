// Preloaded into the benchmarked server (`node --import`): no server code changes. Every second it
// appends one JSON line to $PORTOLAN_BENCH_PROBE_FILE: the event loop's delay over that second and
// how many websocket frames the server received (every agent and browser message is one frame).
import fs from "node:fs";
import { createRequire } from "node:module";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.PORTOLAN_BENCH_PROBE_FILE;
if (file) {
  const require = createRequire(import.meta.url);
  const { WebSocket } = require("ws"); // the same instance engine.io uses (one node_modules/ws)
  let frames = 0;
  const emit = WebSocket.prototype.emit;
  WebSocket.prototype.emit = function (event, ...args) {
    if (event === "message") frames++;
    return emit.call(this, event, ...args);
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
  setInterval(() => {
    const line = { at: Date.now(), frames, loopP50Ms: ms(loop.percentile(50)), loopP99Ms: ms(loop.percentile(99)), loopMaxMs: ms(loop.max), rss: process.memoryUsage.rss(), heapUsed: process.memoryUsage().heapUsed };
    frames = 0;
    loop.reset();
    fs.appendFileSync(file, JSON.stringify(line) + "\n");
  }, 1_000).unref();
}
