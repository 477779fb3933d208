/**
 * Prisma refuses a statement with more bound values than the database takes (999 on SQLite) and splits
 * only plain lookups by itself: a list with an order and a limit, or a count, over "hostId in (every
 * readable host)" failed for everyone from 1,000 hosts on. These filters stay under that: none when
 * the caller may read every host, else the shorter of "in the readable" and "not in the others", else
 * (both long) chunks of the readable ids, to be queried one by one and merged.
 */
export const MAX_IDS_PER_STATEMENT = 900;

export type HostIdFilter = { hostId?: { in: string[] } | { notIn: string[] } };

/** `readable`: the host ids the caller may see, out of `all` the hosts there are. */
export function hostIdFilters(readable: readonly string[], all: readonly string[]): HostIdFilter[] {
  const allowed = new Set(readable);
  const others = all.filter((id) => !allowed.has(id));
  if (others.length === 0) return [{}];
  if (readable.length <= MAX_IDS_PER_STATEMENT) return [{ hostId: { in: [...readable] } }];
  if (others.length <= MAX_IDS_PER_STATEMENT) return [{ hostId: { notIn: others } }];
  const chunks: HostIdFilter[] = [];
  for (let i = 0; i < readable.length; i += MAX_IDS_PER_STATEMENT) chunks.push({ hostId: { in: readable.slice(i, i + MAX_IDS_PER_STATEMENT) } });
  return chunks;
}

/**
 * The first `take` of several lists (one per filter), each already newest first by (time, id) as the
 * queries order them.
 */
export function mergeNewestFirst<T extends { id: string | number }>(lists: readonly T[][], timeOf: (row: T) => Date, take: number): T[] {
  if (lists.length === 1) return lists[0]!.slice(0, take);
  return lists
    .flat()
    .sort((a, b) => timeOf(b).getTime() - timeOf(a).getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, take);
}
