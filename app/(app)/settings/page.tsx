import type { Metadata } from "next";
import { PageHeader } from "../../_components/ui";
import { PasswordForm } from "../../_components/settings/password-form";
import { SessionsSection } from "../../_components/settings/sessions-section";
import { TokensSection } from "../../_components/settings/tokens-section";

export const metadata: Metadata = { title: "Account settings" };

export default function SettingsPage() {
  return (
    <div className="max-w-6xl space-y-4">
      <PageHeader title="Account settings" description="Your password, where you are signed in, and your API tokens." />
      <PasswordForm />
      <SessionsSection />
      <TokensSection />
    </div>
  );
}
