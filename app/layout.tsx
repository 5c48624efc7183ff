import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TopNav } from "@/components/shell/top-nav";
import { themeScript } from "@/components/shell/theme-script";
import { app } from "@/lib/server/app";
import { currentPrincipal } from "./_lib/access";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Inflight", template: "%s · Inflight" },
  description: "Per-key concurrency on your LiteLLM proxy, against its limits",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const me = await currentPrincipal();
  // Only for a signed-in operator: a signed-out page says nothing about the deployment.
  const environment = me ? ((await app()).config.INFLIGHT_ENVIRONMENT ?? null) : null;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <Providers>
          <TopNav me={me && { label: me.label, role: me.role, teams: me.teams, kind: me.kind }} environment={environment} />
          <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
