import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { countAdmins } from "@/lib/accounts/accounts";
import { app } from "@/lib/server/app";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up" };

/** The first-run page: only while Inflight has no admin. */
export default async function SetupPage() {
  await connection(); // rendered per request: a build never opens the store
  if ((await countAdmins((await app()).auth)) > 0) redirect("/sign-in");
  return <SetupForm />;
}
