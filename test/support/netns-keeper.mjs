// Keeps one test network namespace tied to the test process that made it. That process holds the other
// end of this keeper's stdin; when stdin closes (it closed the link, or it died, even by SIGKILL), every
// process still inside the namespace (agents, the netns forwarder) is killed and the namespace deleted.
// The keeper runs in a process group of its own, so a kill of the test's group does not reach it.
// Usage: node netns-keeper.mjs <namespace>         holds it until stdin closes
//        node netns-keeper.mjs <namespace> --now   removes it at once (left by a run from before)
import { execFileSync } from "node:child_process";

const [name, mode] = process.argv.slice(2);
if (!name) {
  process.stderr.write("usage: netns-keeper.mjs <namespace> [--now]\n");
  process.exit(2);
}

const pidsInside = () => {
  try {
    return execFileSync("ip", ["netns", "pids", name], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  } catch {
    return []; // no such namespace
  }
};

function removeNamespace() {
  // A few rounds: a process being killed may have just started a child (tsx does) inside the namespace.
  for (let round = 0; round < 10; round++) {
    const pids = pidsInside();
    if (!pids.length) break;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  try {
    execFileSync("ip", ["netns", "del", name], { stdio: "ignore" });
  } catch {
    /* already gone */
  }
}

if (mode === "--now") {
  removeNamespace();
} else {
  process.stdin.on("close", () => {
    removeNamespace();
    process.exit(0);
  });
  process.stdin.resume();
}
