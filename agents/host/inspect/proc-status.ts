/** The fields of /proc/<pid>/status the inspector reads. */
export type ProcStatus = {
  name: string;
  state: string;
  ppid: number;
  /** real, effective, saved, filesystem */
  uids: number[];
  gids: number[];
  /** The PID in each pid namespace, outermost (the host's) first. */
  nsPids: number[];
  caps: { eff: string; prm: string; bnd: string; inh: string; amb: string };
  seccomp: "disabled" | "strict" | "filter" | null;
  seccompFilters: number | null;
  noNewPrivs: boolean;
  rssBytes: number;
};

const SECCOMP_MODES = { "0": "disabled", "1": "strict", "2": "filter" } as const;

export function parseProcStatus(text: string): ProcStatus {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const ints = (key: string) => (fields.get(key) ?? "").split(/\s+/).filter((x) => /^\d+$/.test(x)).map(Number);
  const seccomp = fields.get("Seccomp");
  const filters = fields.get("Seccomp_filters");
  const rss = /^(\d+)\s*kB$/.exec(fields.get("VmRSS") ?? "");
  return {
    name: fields.get("Name") ?? "",
    state: fields.get("State") ?? "",
    ppid: ints("PPid")[0] ?? 0,
    uids: ints("Uid"),
    gids: ints("Gid"),
    nsPids: ints("NSpid"),
    caps: {
      eff: fields.get("CapEff") ?? "0", prm: fields.get("CapPrm") ?? "0", bnd: fields.get("CapBnd") ?? "0",
      inh: fields.get("CapInh") ?? "0", amb: fields.get("CapAmb") ?? "0",
    },
    seccomp: seccomp && seccomp in SECCOMP_MODES ? SECCOMP_MODES[seccomp as keyof typeof SECCOMP_MODES] : null,
    seccompFilters: filters && /^\d+$/.test(filters) ? Number(filters) : null,
    noNewPrivs: fields.get("NoNewPrivs") === "1",
    rssBytes: rss ? Number(rss[1]) * 1024 : 0,
  };
}

/** /proc/<pid>/stat: utime and stime (clock ticks) and starttime (ticks after boot). The comm field may hold spaces and parens. */
export function parseProcStat(text: string): { utime: number; stime: number; startTicks: number } | null {
  const close = text.lastIndexOf(")");
  if (close < 0) return null;
  const rest = text.slice(close + 2).split(" ");
  // rest[0] is field 3 (state): utime is field 14, stime 15, starttime 22.
  const utime = Number(rest[11]), stime = Number(rest[12]), startTicks = Number(rest[19]);
  if (![utime, stime, startTicks].every(Number.isFinite)) return null;
  return { utime, stime, startTicks };
}

/** /proc/<pid>/cmdline: NUL-separated arguments. */
export function parseCmdline(raw: string): string {
  return raw.split("\0").filter(Boolean).join(" ");
}
