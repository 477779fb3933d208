import type Docker from "dockerode";
import { z } from "zod";
import type { HostNetwork, PublishedPort } from "../../../agents/protocol";
import type { HostContext } from "./host-context";
import { parseIptablesSave, type IptablesRule } from "./iptables";
import { listDir, readNumber, readText } from "./kernel-files";
import { attributeNat, type NatBridge } from "./nat-attribution";
import { runTool } from "./run-tool";
import { bridgeMembers, parseProcRoutes, readInterfaces } from "./sysfs-net";

const ZIpAddr = z.array(z.object({ ifname: z.string(), addr_info: z.array(z.object({ local: z.string(), prefixlen: z.number() })).optional() }));
const ZDockerNet = z.object({
  Id: z.string(), Name: z.string(), Driver: z.string().optional(),
  Options: z.record(z.string(), z.string()).nullable().optional(),
  IPAM: z.object({ Config: z.array(z.object({ Subnet: z.string().optional() })).nullable().optional() }).nullable().optional(),
});

/** The host's interfaces, bridges and routes, each container's veth peer and ports, and the NAT rules attributed. */
export async function readHostNetwork(docker: Docker, ctx: HostContext): Promise<HostNetwork> {
  const netDir = `${ctx.files.sys}/class/net`;
  // The tools and Docker answer in parallel with the sysfs reads.
  const rulesRead = readRules();
  const networksRead = docker.listNetworks();
  const interfaces = await readInterfaces(netDir, await interfaceAddresses());
  const byIndex = new Map(interfaces.map((n) => [n.ifindex, n]));
  const networks = (await networksRead).map((n) => ZDockerNet.parse(n)).filter((n) => (n.Driver ?? "bridge") === "bridge");
  const bridgeNames = new Map(networks.map((n) => [n.Options?.["com.docker.network.bridge.name"] || `br-${n.Id.slice(0, 12)}`, n]));
  const bridges = await Promise.all(interfaces.filter((n) => n.kind === "bridge").map(async (b) => {
    const net = bridgeNames.get(b.name);
    return { name: b.name, network: net?.Name ?? null, subnets: (net?.IPAM?.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : [])), members: await bridgeMembers(netDir, b.name) };
  }));

  const containers: HostNetwork["containers"] = await Promise.all(ctx.containers.map(async ({ inspect: i }) => {
    const running = i.State.Running && i.State.Pid > 0;
    const links = running && i.HostConfig.NetworkMode !== "host" ? await containerLinks(`${ctx.files.proc}/${i.State.Pid}/root/sys/class/net`) : [];
    return {
      id: i.Id, name: i.Name, networkMode: i.HostConfig.NetworkMode, running,
      ips: Object.entries(i.NetworkSettings.Networks).flatMap(([network, n]) => (n.IPAddress ? [{ network, ip: n.IPAddress }] : [])),
      links: links.map((l) => {
        const peer = byIndex.get(l.iflink);
        return { name: l.name, ifindex: l.ifindex, hostIfindex: l.iflink, hostInterface: peer?.name ?? null, bridge: peer?.master ?? null };
      }),
      ports: publishedPorts(i.NetworkSettings.Ports),
    };
  }));

  const { rules, natError } = await rulesRead;
  const natBridges: NatBridge[] = bridges.map((b) => ({ name: b.name, subnets: b.subnets }));
  const attributed = attributeNat(rules, containers.map((c) => ({ id: c.id, name: c.name, running: c.running, ips: c.ips.map((x) => x.ip), ports: c.ports })), natBridges);
  return {
    interfaces,
    bridges,
    routes: parseProcRoutes((await readText(`${ctx.files.proc}/net/route`)) ?? ""),
    containers,
    ...attributed,
    missingRules: natError ? [] : attributed.missingRules,
    natError,
  };
}

async function readRules(): Promise<{ rules: IptablesRule[]; natError: string | null }> {
  try {
    const [nat, filter] = await Promise.all([runTool("iptables-save", ["-t", "nat"]), runTool("iptables-save", ["-t", "filter"])]);
    return { rules: parseIptablesSave(`${nat}\n${filter}`), natError: null };
  } catch (err) {
    return { rules: [], natError: (err as Error).message };
  }
}

/** A container's interfaces from the sysfs mounted in its network namespace; iflink is the host-side peer's ifindex. */
async function containerLinks(netDir: string) {
  const out = [];
  for (const name of (await listDir(netDir)).sort()) {
    if (name === "lo") continue;
    const ifindex = await readNumber(`${netDir}/${name}/ifindex`);
    const iflink = await readNumber(`${netDir}/${name}/iflink`);
    if (ifindex !== null && iflink !== null && iflink !== ifindex) out.push({ name, ifindex, iflink });
  }
  return out;
}

/** NetworkSettings.Ports ("80/tcp" → [{HostIp, HostPort}]) as bindings actually in force. */
export function publishedPorts(ports: Record<string, { HostIp: string; HostPort: string }[]>): PublishedPort[] {
  return Object.entries(ports).flatMap(([key, binds]) => {
    const [port, protocol] = key.split("/");
    return binds.filter((b) => /^\d+$/.test(b.HostPort)).map((b) => ({ hostIp: b.HostIp, hostPort: Number(b.HostPort), containerPort: Number(port), protocol: protocol ?? "tcp" }));
  });
}

async function interfaceAddresses(): Promise<Map<string, string[]>> {
  try {
    const parsed = ZIpAddr.parse(JSON.parse(await runTool("ip", ["-j", "addr", "show"])));
    return new Map(parsed.map((i) => [i.ifname, (i.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`)]));
  } catch {
    return new Map(); // no iproute2: interfaces are still listed, without addresses
  }
}
