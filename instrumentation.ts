// Next calls register() once when the server starts: the background runner starts here, so
// ingest, sampling and retention happen with no browser open.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startAppRunner } = await import("./lib/server/app");
  await startAppRunner();
}
