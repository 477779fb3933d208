"use client";

import { useQuery } from "@tanstack/react-query";
import { createContext, useContext } from "react";
import { useTRPC } from "./trpc";

/** What the server says the caller may do (server/auth/access.ts describeAccess). */
export type AccessView = { global: string[]; everywhere: string[]; hosts: Record<string, string[]> };
export type SessionUser = { id: string; email: string; name: string; via: "session" | "token"; access: AccessView };

export const UserContext = createContext<SessionUser | null>(null);

/**
 * The signed-in user, kept current: the live socket invalidates `session.me` when anyone's access
 * changes, so buttons appear and disappear without a reload. The server checks every call anyway.
 */
export function useUser(): SessionUser {
  const initial = useContext(UserContext);
  if (!initial) throw new Error("useUser outside the signed-in shell");
  const trpc = useTRPC();
  const me = useQuery(trpc.session.me.queryOptions(undefined, { initialData: initial, staleTime: 30_000 }));
  return me.data ?? initial;
}

/** Same rule as the server's can(): host permissions need the host; global ones hold or not. */
export function canOn(access: AccessView, permission: string, hostId?: string | null): boolean {
  if (access.global.includes(permission) || access.everywhere.includes(permission)) return true;
  return hostId != null && (access.hosts[hostId]?.includes(permission) ?? false);
}

/** Whether the permission holds on at least one host (menus, "Add" buttons on lists). */
export function canSomewhere(access: AccessView, permission: string): boolean {
  return canOn(access, permission) || Object.values(access.hosts).some((perms) => perms.includes(permission));
}

export function useCan(): (permission: string, hostId?: string | null) => boolean {
  const { access } = useUser();
  return (permission, hostId) => canOn(access, permission, hostId);
}

/** Shown where a list is empty because the caller holds no grant, not because nothing exists. */
export const NO_ACCESS_TEXT = "You have no access to any host yet. Ask an admin to grant you a role on a host group.";
