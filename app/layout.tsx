import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "./_components/providers";
import { RouteAnnouncer } from "./_components/route-announcer";
import { THEME_STORAGE_KEY } from "./_components/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Portolan", template: "%s · Portolan" },
  description: "Docker fleet dashboard",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fafafa" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

// Runs before first paint: the stored theme, else the OS preference. No flash of the wrong theme.
const themeScript = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});var d=t==="dark"||(t!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);var e=document.documentElement;e.classList.toggle("dark",d);}catch(_){}})();`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-dvh font-sans text-sm">
        <Providers>{children}</Providers>
        <RouteAnnouncer />
      </body>
    </html>
  );
}
