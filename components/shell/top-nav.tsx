import Link from "next/link";
import type { Me } from "@/lib/api/accounts";
import { AlertBell } from "@/components/alerts/alert-bell";
import { EnvironmentBadge } from "./environment-badge";
import { HealthIndicator } from "./health-indicator";
import { NavLinks } from "./nav-links";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

/** The shell: areas, health and the alert bell only for a signed-in operator (a signed-out page shows none of them). */
export function TopNav({ me, environment }: { me: Me | null; environment: string | null }) {
  return (
    <header className="sticky top-0 z-20 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-6">
        <div className="flex items-center gap-2">
          <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">
            <Logo />
            Inflight
          </Link>
          {me && environment ? <EnvironmentBadge environment={environment} /> : null}
        </div>
        {me ? <NavLinks admin={me.role === "admin"} /> : null}
        <div className="ml-auto flex items-center gap-3">
          {me ? <HealthIndicator /> : null}
          {me ? <AlertBell /> : null}
          <ThemeToggle />
          {me ? <UserMenu me={me} /> : null}
        </div>
      </div>
    </header>
  );
}

function Logo() {
  return (
    <svg viewBox="0 0 24 24" className="h-5 w-5 text-sky-600 dark:text-sky-400" aria-hidden>
      <path d="M3 17h4l2-7 3 10 3-14 2 11h4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
