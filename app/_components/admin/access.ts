"use client";

import { useQueryClient } from "@tanstack/react-query";
import { canOn, type AccessView } from "../user";

/** The admin screens and the global permission each needs; the main nav shows "Admin" for any of them. */
export const ADMIN_SECTIONS = [
  { href: "/admin/users", label: "Users", permission: "user:manage" },
  { href: "/admin/teams", label: "Teams", permission: "team:manage" },
  { href: "/admin/roles", label: "Roles", permission: "role:manage" },
  { href: "/admin/host-groups", label: "Host groups", permission: "hostgroup:manage" },
  { href: "/admin/log-retention", label: "Log retention", permission: "logs:retention" },
] as const;

export function adminSections(access: AccessView) {
  return ADMIN_SECTIONS.filter((s) => canOn(access, s.permission));
}

/** Every permission the caller holds somewhere (globally, everywhere or on some host). */
export function heldPermissions(access: AccessView): Set<string> {
  return new Set([...access.global, ...access.everywhere, ...Object.values(access.hosts).flat()]);
}

/**
 * After any access mutation: users, teams, grants, roles, groups, tokens and what the caller may
 * see all change together, so refetch whatever is on screen.
 */
export function useRefetchAll(): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries();
}

/** What the server accepts for passwords (server/auth/auth.ts PASSWORD_MIN/MAX). */
export const PASSWORD_HINT = "12 to 128 characters.";
