import type { NetInterface } from "../../../agents/protocol";
import { listDir, readLink, readNumber, readTrimmed } from "./kernel-files";

const STATS = ["rx_bytes", "tx_bytes", "rx_packets", "tx_packets", "rx_errors", "tx_errors", "rx_dropped", "tx_dropped"] as const;
const MAX_INTERFACES = 4096;

/** The interfaces of one network namespace as its sysfs shows them (/sys/class/net/<name>/…). */
export async function readInterfaces(netDir: string, addresses: Map<string, string[]> = new Map()): Promise<NetInterface[]> {
  const names = (await listDir(netDir)).slice(0, MAX_INTERFACES).sort();
  const out: NetInterface[] = [];
  for (const name of names) {
    const dir = `${netDir}/${name}`;
    const ifindex = await readNumber(`${dir}/ifindex`);
    if (ifindex === null) continue;
    const iflink = (await readNumber(`${dir}/iflink`)) ?? ifindex;
    const stats = Object.fromEntries(await Promise.all(STATS.map(async (k) => [k, (await readNumber(`${dir}/statistics/${k}`)) ?? 0] as const)));
    const master = await readLink(`${dir}/master`);
    out.push({
      name, ifindex, iflink,
      kind: await interfaceKind(dir, name, ifindex, iflink),
      operstate: (await readTrimmed(`${dir}/operstate`)) ?? "unknown",
      mtu: (await readNumber(`${dir}/mtu`)) ?? 0,
      mac: (await readTrimmed(`${dir}/address`)) || null,
      master: master ? master.split("/").pop()! : null,
      addresses: (addresses.get(name) ?? []).slice(0, 64),
      rxBytes: stats.rx_bytes!, txBytes: stats.tx_bytes!, rxPackets: stats.rx_packets!, txPackets: stats.tx_packets!,
      rxErrors: stats.rx_errors!, txErrors: stats.tx_errors!, rxDropped: stats.rx_dropped!, txDropped: stats.tx_dropped!,
    });
  }
  return out;
}

/** sysfs has no "kind" file: a bridge has bridge/, a device has device/, a veth points (iflink) at a peer. */
async function interfaceKind(dir: string, name: string, ifindex: number, iflink: number): Promise<NetInterface["kind"]> {
  if (name === "lo" || (await readNumber(`${dir}/type`)) === 772) return "loopback";
  if ((await listDir(`${dir}/bridge`)).length) return "bridge";
  if (await readLink(`${dir}/device`)) return "device";
  if (iflink > 0 && iflink !== ifindex) return "veth";
  return "other";
}

export async function bridgeMembers(netDir: string, bridge: string): Promise<string[]> {
  return (await listDir(`${netDir}/${bridge}/brif`)).sort();
}

/** /proc/net/route (IPv4): hex little-endian addresses and masks. */
export function parseProcRoutes(text: string): { destination: string; gateway: string | null; iface: string; metric: number }[] {
  const out = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || !/^[0-9A-Fa-f]{8}$/.test(f[1]!)) continue;
    const dest = hexIp(f[1]!), gw = hexIp(f[2]!), mask = hexIp(f[7]!);
    const prefix = mask.split(".").reduce((n, o) => n + Number(o).toString(2).replace(/0/g, "").length, 0);
    out.push({ destination: dest === "0.0.0.0" && prefix === 0 ? "default" : `${dest}/${prefix}`, gateway: gw === "0.0.0.0" ? null : gw, iface: f[0]!, metric: Number(f[6]) || 0 });
  }
  return out.slice(0, 4096);
}

function hexIp(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join(".");
}
