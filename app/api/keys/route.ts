import { litellmClient } from "@/lib/deps";
import { ApiError } from "@/lib/http/api-error";
import { listKeys } from "@/lib/keys/list-keys";
import { handle } from "../_lib/handle";

export const GET = handle(async () => {
  const client = litellmClient();
  if (!client) throw new ApiError(503, "not_configured", "No LiteLLM proxy is configured: set LITELLM_URL and LITELLM_MASTER_KEY");
  return listKeys(client);
});
