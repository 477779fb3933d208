"use client";

import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../server/trpc/router";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

type Outputs = inferRouterOutputs<AppRouter>;
export type HostSummary = Outputs["hosts"]["list"][number];
export type HostDetail = Outputs["hosts"]["get"];
export type FleetContainer = Outputs["containers"]["list"][number];
export type ContainerState = FleetContainer["state"];
export type Enrollment = Outputs["hosts"]["createEnrollment"];

/** The tRPC error code of a failed query/mutation, if it is one. */
export function trpcCode(error: unknown): string | undefined {
  const data = (error as { data?: { code?: unknown } } | null)?.data;
  return typeof data?.code === "string" ? data.code : undefined;
}

/** A readable message from a tRPC error (input validation errors arrive as a JSON list of issues). */
export function trpcMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith("[")) {
    try {
      const issues = JSON.parse(message) as { message?: string; path?: (string | number)[] }[];
      return issues.map((i) => (i.path?.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
    } catch {
      /* not JSON after all */
    }
  }
  return message || "Something went wrong";
}
