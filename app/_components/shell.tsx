"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { adminSections } from "./admin/access";
import { FiringBadge } from "./alerts/firing-badge";
import { LiveIndicator, LiveProvider } from "./live";
import { ThemeToggle } from "./theme-toggle";
import { cx } from "./ui";
import { canOn, canSomewhere, UserContext, useUser, type SessionUser } from "./user";

type NavItem = { href: string; label: string; section: string };

/** Admin and Audit appear only for callers holding a permission they need (the server checks anyway). */
function useNav(): NavItem[] {
  const { access } = useUser();
  const admin = adminSections(access)[0];
  return [
    { href: "/hosts", label: "Hosts", section: "/hosts" },
    { href: "/fleet", label: "Fleet", section: "/fleet" },
    { href: "/posture", label: "Posture", section: "/posture" },
    { href: "/events", label: "Events", section: "/events" },
    ...(canSomewhere(access, "logs:read") ? [{ href: "/logs", label: "Logs", section: "/logs" }] : []),
    { href: "/alerts", label: "Alerts", section: "/alerts" },
    ...(admin ? [{ href: admin.href, label: "Admin", section: "/admin" }] : []),
    ...(canOn(access, "audit:read") ? [{ href: "/audit", label: "Audit", section: "/audit" }] : []),
  ];
}

export function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  return (
    <UserContext.Provider value={user}>
      <Shell>{children}</Shell>
    </UserContext.Provider>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const user = useUser();
  const nav = useNav();
  return (
      <LiveProvider>
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-1.5 dark:focus:bg-zinc-900"
        >
          Skip to content
        </a>
        <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/90">
          <div className="mx-auto flex h-12 max-w-screen-2xl items-center gap-4 px-4">
            <Link href="/hosts" className="flex items-center gap-2 font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">
              <Logo />
              Portolan
            </Link>
            <nav aria-label="Main" className="flex items-center gap-1">
              {nav.map((item) => {
                const active = pathname === item.section || pathname.startsWith(`${item.section}/`);
                return (
                  <Link
                    key={item.href}
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    className={cx(
                      "rounded-md px-2.5 py-1 text-sm font-medium",
                      active
                        ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50"
                        : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
                    )}
                  >
                    {item.label}
                    {item.href === "/alerts" && <FiringBadge />}
                  </Link>
                );
              })}
            </nav>
            <div className="ml-auto flex items-center gap-2">
              <LiveIndicator />
              <ThemeToggle />
              <span className="hidden h-5 w-px bg-zinc-200 sm:block dark:bg-zinc-700" aria-hidden="true" />
              <Link
                href="/settings"
                aria-current={pathname === "/settings" ? "page" : undefined}
                className="hidden max-w-56 truncate rounded px-1 text-xs text-zinc-600 hover:text-zinc-900 hover:underline sm:inline dark:text-zinc-400 dark:hover:text-zinc-100"
                title={`${user.email}: account settings`}
              >
                {user.email}
              </Link>
              <SignOutButton />
            </div>
          </div>
        </header>
        <main id="main" className="mx-auto max-w-screen-2xl px-4 py-5">
          {children}
        </main>
      </LiveProvider>
  );
}

function SignOutButton() {
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    try {
      await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    } finally {
      window.location.assign("/login");
    }
  };
  return (
    <button type="button" onClick={signOut} disabled={busy} className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-800 shadow-sm hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800">
      Sign out
    </button>
  );
}

export function Logo() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5 text-sky-600 dark:text-sky-400" fill="none" stroke="currentColor" strokeWidth="1.8">
      <circle cx="12" cy="12" r="9" />
      <path d="M12 3v18M3 12h18M5.6 5.6l12.8 12.8M18.4 5.6 5.6 18.4" strokeOpacity=".45" strokeWidth="1.1" />
      <path d="m12 6 2 6-2 6-2-6z" fill="currentColor" stroke="none" />
    </svg>
  );
}
