"use client";

import { useEffect, useRef, useState } from "react";
import type { Me } from "@/lib/api/accounts";
import { sendJson } from "@/lib/view/fetch-json";

/** Who is signed in, with sign-out here or everywhere (every session of the account). */
export function UserMenu({ me }: { me: Me }) {
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const close = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener("click", close);
    return () => document.removeEventListener("click", close);
  }, []);

  async function signOut(everywhere: boolean) {
    try {
      if (everywhere) await sendJson("/api/auth/revoke-sessions", {});
      else await sendJson("/api/auth/sign-out", {});
      window.location.assign("/sign-in");
    } catch (err) {
      setProblem((err as Error).message);
    }
  }

  if (me.kind === "token") return null;
  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-haspopup="menu"
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        <span className="max-w-48 truncate">{me.label}</span>
        <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] font-medium uppercase tracking-wide text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          {me.role}
        </span>
      </button>
      {open ? (
        <div role="menu" className="absolute right-0 mt-2 w-64 rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
          <p className="px-3 py-2 text-xs text-zinc-500 dark:text-zinc-400">
            {me.teams === null ? "Sees every team's keys." : me.teams.length ? `Sees the keys of ${me.teams.join(", ")}.` : "Sees no team's keys yet."}
          </p>
          <button role="menuitem" type="button" onClick={() => signOut(false)} className="block w-full rounded px-3 py-2 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800">
            Sign out
          </button>
          <button role="menuitem" type="button" onClick={() => signOut(true)} className="block w-full rounded px-3 py-2 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800">
            Sign out everywhere
            <span className="block text-xs text-zinc-500">Ends every session of this account, on every device.</span>
          </button>
          {problem ? <p className="px-3 py-2 text-xs text-rose-600">{problem}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
