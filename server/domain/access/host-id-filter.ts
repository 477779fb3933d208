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

/** The first `take` of several lists each already sorted by `compare` (one per filter). */
export function mergeSorted<T>(lists: readonly T[][], compare: (a: T, b: T) => number, take: number): T[] {
  return lists.length === 1 ? lists[0]!.slice(0, take) : lists.flat().sort(compare).slice(0, take);
}
