import { runView } from "@/lib/burst/view";
import { burstRunFromParams } from "../../_lib/burst-run";
import { withAccess } from "../../_lib/handle";

type Ctx = { params: Promise<{ id: string }> };

/** One burst test: its progress while it runs, its report once done; `?download=1` as a JSON file. */
export const GET = withAccess("viewer", async (req, { app, principal }, ctx: Ctx) => {
  const view = runView(await burstRunFromParams(app, ctx.params, principal));
  if (new URL(req.url).searchParams.get("download") !== "1") return view;
  return new Response(JSON.stringify(view, null, 2), {
    headers: {
      "content-type": "application/json",
      "content-disposition": `attachment; filename="inflight-burst-${view.id}.json"`,
      "cache-control": "no-store",
    },
  });
});
