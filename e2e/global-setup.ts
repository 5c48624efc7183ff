import http from "node:http";
import { request } from "@playwright/test";
import { signIn } from "./support/sign-in";
import { E2E_PORT, E2E_SLACK_RECEIVER_PORT, STORAGE_STATE } from "./support/stack-env";

// Signs in once to the shared stack as its admin; every spec starts from that browser state. Keeps
// up, for the whole run, the receiver the stack's environment Slack channel posts to (it answers
// as Slack does), so that channel delivers instead of failing until it pauses.
export default async function globalSetup() {
  const slack = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
  });
  await new Promise<void>((resolve, reject) => slack.once("error", reject).listen(E2E_SLACK_RECEIVER_PORT, "127.0.0.1", resolve));

  const base = `http://127.0.0.1:${E2E_PORT}`;
  const ctx = await request.newContext();
  await signIn(ctx, base);
  await ctx.storageState({ path: STORAGE_STATE });
  await ctx.dispose();

  return async () => {
    slack.closeAllConnections();
    await new Promise((resolve) => slack.close(resolve));
  };
}
