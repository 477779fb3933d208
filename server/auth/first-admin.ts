import crypto from "node:crypto";
import type { Db } from "../db/client";
import { recordAudit } from "../domain/audit/record-audit";
import { safeEqual } from "../crypto";
import { AppError } from "../errors";
import type { Auth } from "./auth";
import { createUser } from "./create-user";

/**
 * First run: with no users, either the configured admin is created, or a one-time setup code is
 * generated (and printed by the caller) that the /setup page must present. Never "first visitor wins".
 */
export class FirstRun {
  private code: string | null = null;

  constructor(private readonly deps: { db: Db; auth: Auth }) {}

  /** Returns the setup code to print, or null when nothing is left to set up. */
  async prepare(admin: { email: string; password: string } | null): Promise<string | null> {
    if ((await this.deps.db.user.count()) > 0) return null;
    if (admin) {
      const user = await createUser(this.deps, { ...admin, grantOnAllHosts: "admin" });
      await recordAudit(this.deps.db, { actorId: user.id, actor: "config", action: "user.create-first-admin", target: user.email, result: "ok" });
      return null;
    }
    // Readable and unambiguous: 4 groups of 4 from an alphabet without 0/O/1/I.
    const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    const chars = Array.from(crypto.randomBytes(16), (b) => alphabet[b % alphabet.length]).join("");
    this.code = chars.match(/.{4}/g)!.join("-");
    return this.code;
  }

  async needsSetup(): Promise<boolean> {
    return this.code !== null && (await this.deps.db.user.count()) === 0;
  }

  async complete(opts: { code: string; email: string; password: string; name?: string; sourceIp: string | null }) {
    if (!this.code || (await this.deps.db.user.count()) > 0) throw new AppError("CONFLICT", "setup is already complete");
    if (!safeEqual(opts.code.trim().toUpperCase(), this.code)) {
      await recordAudit(this.deps.db, { actor: "anonymous", sourceIp: opts.sourceIp, action: "setup.create-admin", result: "denied: wrong code" });
      throw new AppError("FORBIDDEN", "wrong setup code (it is printed in the server log)");
    }
    const user = await createUser(this.deps, { email: opts.email, password: opts.password, name: opts.name, grantOnAllHosts: "admin" });
    this.code = null;
    await recordAudit(this.deps.db, { actorId: user.id, actor: user.email, sourceIp: opts.sourceIp, action: "setup.create-admin", target: user.email, result: "ok" });
    return user;
  }
}
