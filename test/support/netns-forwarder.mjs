// Runs inside a test's network namespace (nsenter --net=…): listens on this namespace's
// 127.0.0.1:<port> and pipes each connection to a unix socket file that a forwarder in the root
// namespace serves. Cutting loopback inside the namespace then cuts the agent's link for real.
// Usage: node netns-forwarder.mjs <port> <unix socket path>
import net from "node:net";

const [port, unixPath] = [Number(process.argv[2]), process.argv[3]];
if (!Number.isInteger(port) || !unixPath) {
  process.stderr.write("usage: netns-forwarder.mjs <port> <unix socket path>\n");
  process.exit(2);
}

const server = net.createServer((inbound) => {
  const outbound = net.connect(unixPath);
  const close = () => {
    inbound.destroy();
    outbound.destroy();
  };
  inbound.on("error", close).on("close", close);
  outbound.on("error", close).on("close", close);
  inbound.pipe(outbound);
  outbound.pipe(inbound);
});
server.on("error", (err) => {
  process.stderr.write(`forwarder: ${err.message}\n`);
  process.exit(1);
});
server.listen(port, "127.0.0.1", () => process.stdout.write(`ready ${port}\n`));
process.on("SIGTERM", () => process.exit(0));
