import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "../_components/auth-card";
import { SetupForm } from "../_components/setup-form";
import { needsSetup } from "../_lib/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "First-run setup" };

export default async function SetupPage() {
  if (!(await needsSetup())) redirect("/login");
  return (
    <AuthCard title="Create the first admin">
      <p className="mb-4 text-zinc-600 dark:text-zinc-400">
        Enter the one-time setup code printed in the server log when Portolan started, then choose the admin&apos;s credentials.
      </p>
      <SetupForm />
    </AuthCard>
  );
}
