/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native code or dynamic requires: loaded by Node, not bundled.
  serverExternalPackages: ["@kubernetes/client-node", "better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // The build must not reach the internet (telemetry is disabled via NEXT_TELEMETRY_DISABLED too).
  images: { unoptimized: true },
};

export default nextConfig;
