import type { HostNetwork, NatRule, PublishedPort } from "../../../agents/protocol";
import { hostAddress, type IptablesRule } from "./iptables";

export type NatContainer = { id: string; name: string; running: boolean; ips: string[]; ports: PublishedPort[] };
export type NatBridge = { name: string; subnets: string[] };

/**
 * Ties each NAT rule to what caused it: a DNAT rule to the container and port binding it forwards to,
 * a MASQUERADE rule to its bridge's subnet (or, for a hairpin rule, to its container). Drift both ways:
 * DNAT rules no binding explains, and published bindings with no DNAT rule.
 */
export function attributeNat(rules: IptablesRule[], containers: NatContainer[], bridges: NatBridge[]): Pick<HostNetwork, "natRules" | "filterRules" | "missingRules"> {
  const byIp = new Map<string, NatContainer>();
  for (const c of containers) for (const ip of c.ips) if (c.running || !byIp.has(ip)) byIp.set(ip, c);
  const covered = new Set<string>();
  const natRules: NatRule[] = [];
  const filterRules: NatRule[] = [];

  for (const r of rules) {
    const base: NatRule = { table: r.table, chain: r.chain, rule: r.rule, target: r.target, drift: false };
    if (r.table === "filter") {
      if (!r.chain.startsWith("DOCKER") && !(r.chain === "FORWARD" && /DOCKER|docker0|br-/.test(r.rule))) continue;
      const c = byIp.get(hostAddress(r.destination) ?? "");
      const port = c?.ports.find((p) => p.containerPort === r.dport && p.protocol === (r.protocol ?? "tcp"));
      filterRules.push({ ...base, ...(c ? { containerId: c.id, containerName: c.name } : {}), ...(port ? { port } : {}) });
      continue;
    }
    if (r.target === "DNAT" && r.toDestination) {
      const c = byIp.get(r.toDestination.ip);
      const port = c?.ports.find((p) =>
        p.containerPort === r.toDestination!.port && p.hostPort === r.dport && p.protocol === (r.protocol ?? "tcp") && hostIpMatches(p.hostIp, r.destination));
      if (c && port) covered.add(bindingKey(c.id, port));
      natRules.push({ ...base, ...(c ? { containerId: c.id, containerName: c.name } : {}), ...(port ? { port } : {}), drift: !port });
      continue;
    }
    if (r.target === "MASQUERADE") {
      const src = hostAddress(r.source);
      const hairpin = src && !src.includes("/") ? byIp.get(src) : undefined;
      if (hairpin) {
        const port = hairpin.ports.find((p) => p.containerPort === r.dport && p.protocol === (r.protocol ?? "tcp"));
        natRules.push({ ...base, containerId: hairpin.id, containerName: hairpin.name, ...(port ? { port } : {}) });
        continue;
      }
      const bridge = bridges.find((b) => (r.outIface && b.name === r.outIface.name) || (src !== null && b.subnets.includes(src)));
      natRules.push({ ...base, ...(bridge ? { bridge: bridge.name } : {}) });
      continue;
    }
    natRules.push(base);
  }

  const missingRules = containers.flatMap((c) =>
    c.running && c.ips.length
      ? c.ports.filter((p) => isIpv4(p.hostIp) && !covered.has(bindingKey(c.id, p))).map((port) => ({ containerId: c.id, containerName: c.name, port }))
      : [],
  );
  return { natRules, filterRules, missingRules };
}

/** A binding on 0.0.0.0 gives a rule with no -d; one on an address gives "-d <address>/32". */
function hostIpMatches(hostIp: string, destination: string | null): boolean {
  const d = hostAddress(destination);
  return hostIp === "" || hostIp === "0.0.0.0" ? d === null : d === hostIp;
}

function isIpv4(ip: string): boolean {
  return ip === "" || /^\d+\.\d+\.\d+\.\d+$/.test(ip);
}

function bindingKey(id: string, p: PublishedPort): string {
  return `${id}|${p.hostIp}|${p.hostPort}|${p.containerPort}|${p.protocol}`;
}
