import { parseArgs } from "node:util";
import { createApiToken } from "../auth/api-tokens";
import { createServices } from "../bootstrap";
import { loadServerConfig } from "../config";
import { verifyAuditChain } from "../domain/audit/audit-queries";
import { recordAudit } from "../domain/audit/record-audit";
import { agentCommand, createEnrollmentToken } from "../domain/enrollment/create-enrollment-token";
import { createServerLogger } from "../log";

const USAGE = `usage:
  npm run cli -- token create --email EMAIL --name NAME [--expires-days N]   print a new API token for a user
  npm run cli -- audit verify                                                check the audit log's hash chain (exit 3 if broken)
  npm run cli -- host enroll --name NAME [--url SERVER_URL]                  print a one-time enrollment token and agent command`;

/** Admin command line: works on the database directly, for automation and first set-up. */
async function main(argv: string[]): Promise<string> {
  const [noun, verb, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: "string" }, name: { type: "string" }, url: { type: "string" }, "expires-days": { type: "string" }, quiet: { type: "boolean" } },
  });
  const config = loadServerConfig();
  const services = await createServices(config, createServerLogger("warn"));
  try {
    if (noun === "token" && verb === "create") {
      if (!values.email || !values.name) throw new Error(USAGE);
      const user = await services.db.user.findUnique({ where: { email: values.email.toLowerCase() } });
      if (!user) throw new Error(`no user with email ${values.email}`);
      const days = values["expires-days"] ? Number(values["expires-days"]) : null;
      if (days !== null && !(days > 0)) throw new Error("--expires-days must be a positive number");
      const expiresAt = days ? new Date(Date.now() + days * 86_400_000) : null;
      const { token } = await createApiToken(services.db, { userId: user.id, name: values.name, expiresAt });
      await recordAudit(services.db, { actor: "cli", action: "token.create", target: `${user.email}:${values.name}`, result: "ok" });
      return token;
    }
    if (noun === "audit" && verb === "verify") {
      const verdict = await verifyAuditChain(services.db);
      if (!verdict.ok) {
        process.exitCode = 3;
        return `audit chain BROKEN at entry #${verdict.brokenAt}: ${verdict.reason} (${verdict.entries} entries verified before it)`;
      }
      const pre = verdict.preChain ? ` (${verdict.preChain} entries from before the chain are not covered)` : "";
      return `audit chain OK: ${verdict.entries} entries${pre}; head ${verdict.head.slice(0, 16)}…`;
    }
    if (noun === "host" && verb === "enroll") {
      if (!values.name) throw new Error(USAGE);
      const { token } = await createEnrollmentToken(services.db, { hostName: values.name, createdById: null });
      await recordAudit(services.db, { actor: "cli", action: "host.create-enrollment", target: values.name, result: "ok" });
      if (values.quiet) return token;
      const url = values.url ?? config.publicUrl ?? `http://${config.host}:${config.port}`;
      return `${token}\n\nRun on the host:\n  ${agentCommand(url, token)}`;
    }
    throw new Error(USAGE);
  } finally {
    await services.db.$disconnect();
  }
}

main(process.argv.slice(2)).then(
  (out) => process.stdout.write(out + "\n"),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
