import net from "node:net";
import type { AddressInfo } from "node:net";

/**
 * One loopback address in front of several servers, like a load balancer: new connections go to the
 * current target (none: refused). Connections to a target that dies are cut, as a real balancer does.
 */
export async function startTcpSwitch(): Promise<{ port: number; target(port: number | null): void; close(): Promise<void> }> {
  let targetPort: number | null = null;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (targetPort === null) return void client.destroy();
    const upstream = net.connect(targetPort, "127.0.0.1");
    open.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    target(port) {
      targetPort = port;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
