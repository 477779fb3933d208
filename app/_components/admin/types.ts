import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../../server/trpc/router";

type Outputs = inferRouterOutputs<AppRouter>;
export type AdminUser = Outputs["users"]["list"][number];
export type AdminTeam = Outputs["teams"]["list"][number];
export type RoleView = Outputs["roles"]["list"][number];
export type PermissionInfo = Outputs["roles"]["permissions"][number];
export type HostGroupView = Outputs["hostGroups"]["list"][number];
export type GrantChip = AdminUser["grants"][number];
export type AuditPage = Outputs["audit"]["list"];
export type AuditItem = AuditPage["items"][number];
export type MyToken = Outputs["tokens"]["list"][number];
export type MySession = Outputs["account"]["sessions"][number];
