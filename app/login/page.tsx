import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "../_components/auth-card";
import { LoginForm } from "../_components/login-form";
import { currentActor, needsSetup } from "../_lib/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await currentActor()) redirect("/hosts");
  const setup = await needsSetup();
  const { setup: justSetUp } = await searchParams;
  return (
    <AuthCard title="Sign in to Portolan">
      {setup && (
        <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">
          No admin account exists yet.{" "}
          <a href="/setup" className="font-medium underline underline-offset-2">
            Complete first-run setup
          </a>{" "}
          with the code printed in the server log.
        </p>
      )}
      {justSetUp === "done" && (
        <p className="mb-4 rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-emerald-900 dark:border-emerald-500/40 dark:bg-emerald-500/10 dark:text-emerald-200">
          Admin account created. Sign in with it below.
        </p>
      )}
      <LoginForm />
    </AuthCard>
  );
}
