import { LimitsEditSchema } from "@/lib/api/limits";
import { ApiError } from "@/lib/http/api-error";
import type { App } from "@/lib/server/app";
import { readJson } from "../../../_lib/read-json";

/** The team and the change a team-wide route was sent, checked; metadata is per key, never team-wide. */
export async function teamEdit(req: Request, app: App, params: Promise<{ team: string }>) {
  const team = decodeURIComponent((await params).team);
  if (!team || team.length > 200) throw new ApiError(422, "invalid_input", "team: a LiteLLM team id");
  const edit = LimitsEditSchema.parse(await readJson(req));
  if (edit.metadata) throw new ApiError(422, "invalid_input", "metadata: change it key by key, not for a whole team");
  if (app.writesDisabled || !app.litellm) throw new ApiError(409, "read_only", app.writesDisabled ?? "No LiteLLM proxy is configured");
  return { team, edit, litellm: app.litellm };
}
