import type { Capabilities } from "../../../agents/protocol";

/** Capability bit → name, as in linux/capability.h (CAP_ prefix dropped, as Docker spells them). */
export const CAPABILITY_NAMES = [
  "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE",
  "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT",
  "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
  "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
  "PERFMON", "BPF", "CHECKPOINT_RESTORE",
] as const;

/** What Docker (moby oci/caps/defaults.go) grants a container that neither adds nor drops any. */
export const DOCKER_DEFAULT_CAPS = [
  "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP",
  "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
];

/** A /proc/<pid>/status capability mask (hex) as names; bits past the table come out as CAP_<bit>. */
export function decodeCapMask(hex: string): string[] {
  if (!/^[0-9a-fA-F]{1,32}$/.test(hex)) return [];
  const mask = BigInt(`0x${hex}`);
  const out: string[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if (mask & (1n << BigInt(bit))) out.push(CAPABILITY_NAMES[bit] ?? `CAP_${bit}`);
  }
  return out;
}

/** Docker spells capabilities with or without CAP_ and in any case. */
export function normaliseCap(name: string): string {
  return name.toUpperCase().replace(/^CAP_/, "");
}

export function capabilitySets(masks: { eff: string; prm: string; bnd: string; inh: string; amb: string }): Capabilities {
  const bounding = decodeCapMask(masks.bnd);
  return {
    effective: decodeCapMask(masks.eff),
    permitted: decodeCapMask(masks.prm),
    bounding,
    inheritable: decodeCapMask(masks.inh),
    ambient: decodeCapMask(masks.amb),
    added: bounding.filter((c) => !DOCKER_DEFAULT_CAPS.includes(c)),
    dropped: DOCKER_DEFAULT_CAPS.filter((c) => !bounding.includes(c)),
    dockerDefault: [...DOCKER_DEFAULT_CAPS],
  };
}
