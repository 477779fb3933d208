import type { Namespace } from "../../../agents/protocol";
import { NAMESPACE_KINDS } from "../../../agents/protocol/inspector";
import { readLink, type KernelFiles } from "./kernel-files";

type Kind = (typeof NAMESPACE_KINDS)[number];
export type NamespaceInodes = Record<Kind, number | null>;

/** The namespace inodes of one process, from the /proc/<pid>/ns/* links ("net:[4026532184]"). */
export async function readNamespaceInodes(files: KernelFiles, pid: number | "self"): Promise<NamespaceInodes> {
  const entries = await Promise.all(NAMESPACE_KINDS.map(async (kind) => [kind, parseNsLink(await readLink(`${files.proc}/${pid}/ns/${kind}`))] as const));
  return Object.fromEntries(entries) as NamespaceInodes;
}

export function parseNsLink(link: string | null): number | null {
  const m = link ? /^\w+:\[(\d+)\]$/.exec(link) : null;
  return m ? Number(m[1]) : null;
}

/**
 * Each namespace of a container against the host's and every other running container's: the host's
 * own wins (a --pid host container is "host", not "shared with the other --pid host containers").
 */
export function classifyNamespaces(
  own: NamespaceInodes,
  host: NamespaceInodes,
  others: { id: string; name: string; inodes: NamespaceInodes }[],
): Namespace[] {
  return NAMESPACE_KINDS.map((kind) => {
    const inode = own[kind];
    if (inode === null) return { kind, inode, sharing: "unknown", sharedWith: [] };
    const sharedWith = others.filter((o) => o.inodes[kind] === inode).map((o) => ({ id: o.id, name: o.name }));
    const sharing = host[kind] === inode ? "host" : sharedWith.length ? "shared" : "own";
    return { kind, inode, sharing, sharedWith: sharing === "host" ? [] : sharedWith };
  });
}
