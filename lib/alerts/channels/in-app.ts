import { z } from "zod";
import type { SendResult } from "../types";
import type { Notifier } from "./channel";
import { testNotification } from "./test-notification";

export const InAppConfigSchema = z.object({});
export type InAppConfig = z.infer<typeof InAppConfigSchema>;

/** The bell's feed, kept by the store: nothing leaves Inflight, so nothing to configure or render. */
export const inAppNotifier: Notifier<InAppConfig> = {
  type: "in-app",
  label: "In-app",
  config: InAppConfigSchema,
  redact: () => ({}),
  render: () => null,
  send: async (n, _config, ctx) => {
    const started = performance.now();
    const result = (r: Omit<SendResult, "latencyMs" | "status" | "retryAfterMs">): SendResult => ({
      ...r,
      status: null,
      retryAfterMs: null,
      latencyMs: Math.round(performance.now() - started),
    });
    try {
      await ctx.feed.add(n);
      return result({ ok: true, error: null, permanent: false });
    } catch (e) {
      // Like every channel, a failure is a result (the outbox retries it), not a throw. Only the
      // driver's code: its message may name the database's host.
      const code = (e as { code?: unknown } | null)?.code;
      return result({ ok: false, error: `could not add it to the in-app feed${typeof code === "string" ? ` (${code})` : ""}`, permanent: false });
    }
  },
  test: (config, ctx) => inAppNotifier.send(testNotification({ environment: ctx.environment }), config, ctx),
};
