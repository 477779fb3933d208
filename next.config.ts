import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native / server-only modules are loaded by Node at runtime, never bundled.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pino", "dockerode"],
  typedRoutes: false,
  poweredByHeader: false,
  reactStrictMode: true,
  // The custom server (server/index.ts) serves Next; nothing here may download at build time.
};

export default nextConfig;
