import { z } from "zod";
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
    await ctx.feed.add(n);
    return { ok: true, status: null, latencyMs: Math.round(performance.now() - started), error: null, retryAfterMs: null, permanent: false };
  },
  test: (config, ctx) => inAppNotifier.send(testNotification(), config, ctx),
};
