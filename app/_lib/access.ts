import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { countAdmins } from "@/lib/accounts/accounts";
import { principalOf } from "@/lib/accounts/principal";
import type { Principal, Role } from "@/lib/accounts/roles";
import { app } from "@/lib/server/app";

/**
 * Who is viewing this page, or null when signed out (a bad token counts as signed out here). Once
 * per request: the layout and the page both ask, and the session is read once.
 */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const h = await headers(); // first: it makes the page dynamic, so a build never opens the store
  const a = await app();
  return principalOf(h, { store: a.store, auth: a.auth }).catch(() => null);
});

/**
 * Every page starts here: signed out goes to sign-in (or to the first-run setup when there is no
 * admin yet), a viewer at an admin page goes back to the keys.
 */
export async function pageAccess(path: string, role: Role = "viewer"): Promise<Principal> {
  const p = await currentPrincipal();
  if (!p) {
    if ((await countAdmins((await app()).auth)) === 0) redirect("/setup");
    redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  }
  if (role === "admin" && p.role !== "admin") redirect("/keys");
  return p;
}
