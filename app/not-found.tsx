import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-3 px-4 text-center">
      <p className="font-mono text-xs text-zinc-500">404</p>
      <h1 className="text-lg font-semibold">Page not found</h1>
      <Link href="/hosts" className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
        Back to hosts
      </Link>
    </main>
  );
}
