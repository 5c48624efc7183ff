import { request } from "@playwright/test";
import { signIn } from "./support/sign-in";
import { E2E_PORT, STORAGE_STATE } from "./support/stack-env";

// Signs in once to the shared stack as its admin; every spec starts from that browser state.
export default async function globalSetup() {
  const base = `http://127.0.0.1:${E2E_PORT}`;
  const ctx = await request.newContext();
  await signIn(ctx, base);
  await ctx.storageState({ path: STORAGE_STATE });
  await ctx.dispose();
}
