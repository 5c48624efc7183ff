"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/**
 * Only areas that exist appear here; admin areas only to admins. Alert settings are reached from
 * the Alerts page (the header has no room for both at 1440 px with the health pills).
 */
const AREAS = [
  { href: "/keys", label: "Keys", admin: false, also: [] as string[] },
  { href: "/alerts", label: "Alerts", admin: false, also: ["/settings/alerts"] },
  { href: "/audit", label: "Audit", admin: false, also: [] },
  { href: "/settings/access", label: "Access", admin: true, also: [] },
];

export function NavLinks({ admin }: { admin: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {AREAS.filter((a) => admin || !a.admin).map((a) => {
        const active = [a.href, ...a.also].some((h) => pathname === h || pathname.startsWith(`${h}/`));
        return (
          <Link
            key={a.href}
            href={a.href}
            aria-current={active ? "page" : undefined}
            className={`whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-sky-500 ${
              active
                ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50"
                : "text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            }`}
          >
            {a.label}
          </Link>
        );
      })}
    </nav>
  );
}
