/** One "-A CHAIN …" line of iptables-save, with the matches the NAT attribution needs pulled out. */
export type IptablesRule = {
  table: "nat" | "filter";
  chain: string;
  /** The rule as iptables-save printed it, without "-A CHAIN". */
  rule: string;
  target: string;
  source: string | null;
  destination: string | null;
  inIface: { name: string; negated: boolean } | null;
  outIface: { name: string; negated: boolean } | null;
  protocol: string | null;
  dport: number | null;
  toDestination: { ip: string; port: number | null } | null;
};

// The protocol carries at most this many rules per table pair; a host with more is cut, not refused.
const MAX_RULES = 20_000;

/** Parses iptables-save output (one table or several) into rules; policies, comments and COMMIT are skipped. */
export function parseIptablesSave(text: string): IptablesRule[] {
  const out: IptablesRule[] = [];
  let table: string | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("*")) table = line.slice(1).trim();
    if (!line.startsWith("-A ") || (table !== "nat" && table !== "filter")) continue;
    const tokens = tokenize(line);
    const chain = tokens[1] ?? "";
    out.push({ table, chain: chain.slice(0, 64), rule: tokens.slice(2).join(" ").slice(0, 4096), ...matches(tokens.slice(2)) });
    if (out.length >= MAX_RULES) break;
  }
  return out;
}

function matches(tokens: string[]): Omit<IptablesRule, "table" | "chain" | "rule"> {
  const r: Omit<IptablesRule, "table" | "chain" | "rule"> = { target: "", source: null, destination: null, inIface: null, outIface: null, protocol: null, dport: null, toDestination: null };
  for (let i = 0; i < tokens.length; i++) {
    const negated = tokens[i] === "!";
    const flag = negated ? tokens[++i] : tokens[i];
    const value = tokens[i + 1] ?? "";
    switch (flag) {
      case "-j": r.target = value.slice(0, 64); break;
      case "-s": r.source = negated ? null : value; break;
      case "-d": r.destination = negated ? null : value; break;
      case "-i": r.inIface = { name: value, negated }; break;
      case "-o": r.outIface = { name: value, negated }; break;
      case "-p": r.protocol = value; break;
      case "--dport": r.dport = /^\d+$/.test(value) ? Number(value) : null; break;
      case "--to-destination": {
        const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(value);
        r.toDestination = m ? { ip: m[1]!.replace(/^\[|\]$/g, ""), port: m[2] ? Number(m[2]) : null } : null;
        break;
      }
      default: continue;
    }
    i++;
  }
  return r;
}

/** Splits on spaces, keeping double-quoted strings (comments) whole. */
function tokenize(line: string): string[] {
  return (line.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? []).map((t) => t);
}

/** "172.17.0.2/32" → "172.17.0.2"; other prefixes stay (they are subnets). */
export function hostAddress(cidr: string | null): string | null {
  if (!cidr) return null;
  return cidr.replace(/\/(32|128)$/, "");
}
