import { describe, expect, it } from "vitest";
import { databaseUnavailable } from "../../server/domain/db-errors";

// The shape Prisma 6.19 with the better-sqlite3 adapter throws when busy_timeout runs out (recorded from a real lock).
const sqliteBusy = {
  name: "PrismaClientKnownRequestError",
  message: "\nInvalid `prisma.team.create()` invocation:\n\n\nOperation has timed out",
  code: "P1008",
  meta: { modelName: "Team", driverAdapterError: { name: "DriverAdapterError", cause: { originalCode: "SQLITE_BUSY", originalMessage: "database is locked", kind: "SocketTimeout" } } },
};

describe("databaseUnavailable", () => {
  it.each([
    ["Prisma P1008 over SQLITE_BUSY", sqliteBusy, "database is busy, retry"],
    ["better-sqlite3 SqliteError", Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }), "database is busy, retry"],
    ["a pool timeout", { code: "P2024" }, "database is busy, retry"],
    ["cannot open the file", { cause: { originalCode: "SQLITE_CANTOPEN" } }, "database unavailable, retry"],
    ["disk I/O error", { code: "SQLITE_IOERR_WRITE" }, "database unavailable, retry"],
    ["PostgreSQL refused", { code: "P1001" }, "database unavailable, retry"],
    ["a socket refused", { cause: { code: "ECONNREFUSED" } }, "database unavailable, retry"],
  ])("%s → UNAVAILABLE", (_name, err, message) => {
    expect(databaseUnavailable(err)).toMatchObject({ code: "UNAVAILABLE", message });
  });

  it.each([
    ["unique constraint", { code: "P2002" }],
    ["record not found", { code: "P2025" }],
    ["a plain error", new Error("boom")],
    ["nothing", undefined],
  ])("%s → null", (_name, err) => {
    expect(databaseUnavailable(err)).toBeNull();
  });
});
