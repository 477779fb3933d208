"use client";

import type { ReactNode } from "react";
import { ErrorBox } from "../ui";
import { useCan } from "../user";

/** The browser hides what the server would refuse; a page opened by URL says why it is empty. */
export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const can = useCan();
  if (!can(permission)) {
    return (
      <ErrorBox title="Not allowed">
        This page needs the <code className="font-mono">{permission}</code> permission on all hosts. Ask an administrator for a grant.
      </ErrorBox>
    );
  }
  return <>{children}</>;
}
