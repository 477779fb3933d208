import vm from "node:vm";
import { can, type Access } from "../../auth/access";
import type { Db } from "../../db/client";
import { ignoringCase } from "../../db/dialect";
import { AppError } from "../../errors";
import { MAX_IDS_PER_STATEMENT } from "../access/host-id-filter";

export type RetainedSearch = {
  hostIds?: string[];
  containerIds?: string[];
  query: string;
  regex: boolean;
  caseSensitive: boolean;
  from?: string;
  to?: string;
  limit: number;
};

export type RetainedLine = { id: number; hostId: string; containerId: string; containerName: string; ts: string; stream: "stdout" | "stderr"; text: string };

const CHUNK = 5_000;
/** At most this many rows are examined per search, newest first. */
const SCAN_LIMIT = 500_000;
/** A regex gets this long per chunk before the search gives up (catastrophic backtracking). */
const REGEX_BUDGET_MS = 1_000;

/**
 * Searches retained logs on the hosts where the caller holds logs:read, newest first, returning the
 * newest `limit` matches in time order. Regexes run in a VM context with a time budget, so a
 * pathological pattern fails with a clear error instead of stalling the server.
 */
export async function searchRetained(db: Db, access: Access, input: RetainedSearch): Promise<{ lines: RetainedLine[]; scanned: number; complete: boolean }> {
  const hostIds = (input.hostIds ?? (await db.retainedLogLine.findMany({ distinct: ["hostId"], select: { hostId: true } })).map((h) => h.hostId)).filter((id) =>
    can(access, "logs:read", id),
  );
  if (!hostIds.length) return { lines: [], scanned: 0, complete: true };
  const test = matcher(input);
  // Too many hosts to bind (access/host-id-filter.ts): the rows are narrowed to them as they are scanned.
  const narrowInCode = hostIds.length + (input.containerIds?.length ?? 0) > MAX_IDS_PER_STATEMENT;
  const searched = new Set(hostIds);
  const containers = input.containerIds ? new Set(input.containerIds) : null;
  const where = {
    ...(narrowInCode ? {} : { hostId: { in: hostIds }, ...(input.containerIds ? { containerId: { in: input.containerIds } } : {}) }),
    ...(input.from || input.to ? { ts: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) } } : {}),
    // A case-insensitive LIKE is a cheap pre-filter for plain searches; the matcher decides on case.
    ...(!input.regex && input.query ? { text: ignoringCase(db, { contains: input.query }) } : {}),
  };
  const found: RetainedLine[] = [];
  let scanned = 0;
  let before: number | undefined;
  while (found.length < input.limit && scanned < SCAN_LIMIT) {
    const rows = await db.retainedLogLine.findMany({
      where: { ...where, ...(before !== undefined ? { id: { lt: before } } : {}) },
      orderBy: { id: "desc" },
      take: CHUNK,
      select: { id: true, hostId: true, containerId: true, containerName: true, ts: true, stream: true, text: true },
    });
    if (!rows.length) return { lines: inTimeOrder(found), scanned, complete: true };
    scanned += rows.length;
    before = rows[rows.length - 1]!.id;
    const hits = test(rows.map((r) => r.text));
    rows.forEach((row, i) => {
      if (hits[i] && found.length < input.limit && (!narrowInCode || (searched.has(row.hostId) && (!containers || containers.has(row.containerId))))) found.push(row as RetainedLine);
    });
  }
  return { lines: inTimeOrder(found), scanned, complete: false };
}

function inTimeOrder(lines: RetainedLine[]): RetainedLine[] {
  return lines.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.id - b.id));
}

function matcher(input: RetainedSearch): (texts: string[]) => boolean[] {
  if (!input.query) return (texts) => texts.map(() => true);
  if (!input.regex) {
    const needle = input.caseSensitive ? input.query : input.query.toLowerCase();
    return (texts) => texts.map((t) => (input.caseSensitive ? t : t.toLowerCase()).includes(needle));
  }
  let re: RegExp;
  try {
    re = new RegExp(input.query, input.caseSensitive ? "u" : "iu");
  } catch (err) {
    throw new AppError("BAD_REQUEST", `invalid regular expression: ${(err as Error).message}`);
  }
  const script = new vm.Script("texts.map((t) => re.test(t))");
  return (texts) => {
    try {
      return script.runInNewContext({ texts, re }, { timeout: REGEX_BUDGET_MS }) as boolean[];
    } catch {
      throw new AppError("BAD_REQUEST", "the regular expression took too long; simplify it");
    }
  };
}
