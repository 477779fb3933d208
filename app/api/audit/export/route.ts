import { z } from "zod";
import { eachAudit, type AuditFilter } from "../../../../server/domain/audit/audit-queries";
import { csvHeader, csvRow, jsonLine } from "../../../../server/domain/audit/export-format";
import { recordAudit } from "../../../../server/domain/audit/record-audit";
import { authorizeRequest } from "../../../../server/http/authorize-request";
import { getServices } from "../../../../server/services";
import { ZAuditFilter } from "../../../../server/trpc/routers/audit";

export const dynamic = "force-dynamic";

const ZExport = ZAuditFilter.extend({ format: z.enum(["csv", "jsonl"]).default("csv") });

/** GET /api/audit/export?format=csv|jsonl&from&to&actor&hostId&action — streamed, oldest first. */
export async function GET(req: Request) {
  const services = getServices();
  const actor = await authorizeRequest(services, req, "audit:read", "/api/audit/export");
  if (actor instanceof Response) return actor;
  const query = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = ZExport.safeParse(query);
  if (!parsed.success) return Response.json({ error: { message: parsed.error.issues[0]?.message ?? "invalid filter" } }, { status: 400 });
  const { format, ...filter } = parsed.data;
  await recordAudit(services.db, { actorId: actor.id, actor: actor.email, sourceIp: req.headers.get("x-portolan-peer") || null, action: "audit.export", params: { format, ...filter }, result: "ok" });

  const rows = eachAudit(services.db, filter as AuditFilter);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(csvHeader()));
    },
    async pull(controller) {
      const next = await rows.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(format === "csv" ? csvRow(next.value) : jsonLine(next.value)));
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="portolan-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
