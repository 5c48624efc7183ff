import { redirect } from "next/navigation";
import { pageAccess } from "./_lib/access";

export default async function Home() {
  await pageAccess("/keys");
  redirect("/keys");
}
