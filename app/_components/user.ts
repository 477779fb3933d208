"use client";

import { createContext, useContext } from "react";

export type SessionUser = { id: string; email: string; name: string; role: "admin" | "operator" | "viewer" };

export const UserContext = createContext<SessionUser | null>(null);

export function useUser(): SessionUser {
  const user = useContext(UserContext);
  if (!user) throw new Error("useUser outside the signed-in shell");
  return user;
}
