/** @type {import('next').NextConfig} */
module.exports = {
  reactStrictMode: true,
  poweredByHeader: false,
  // better-sqlite3 is native; keep it (and ioredis) out of the server bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "ioredis", "prom-client"],
  turbopack: { root: __dirname },
};
