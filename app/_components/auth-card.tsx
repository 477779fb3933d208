import type { ReactNode } from "react";
import { Logo } from "./shell";
import { ThemeToggle } from "./theme-toggle";

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <div className="flex justify-end p-3">
        <ThemeToggle />
      </div>
      <main className="flex flex-1 items-start justify-center px-4 pt-[12vh] pb-16">
        <div className="w-full max-w-sm">
          <div className="mb-5 flex items-center gap-2 text-base font-semibold tracking-tight">
            <Logo />
            Portolan
          </div>
          <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
            <h1 className="mb-4 text-lg font-semibold">{title}</h1>
            {children}
          </div>
        </div>
      </main>
    </div>
  );
}
