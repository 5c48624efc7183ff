import { describe, expect, it } from "vitest";
import { WebhookConfigSchema } from "../../alerts/channels/webhook";
import { newWebhookSecret } from "./webhook-secret";

describe("a webhook secret made in the browser", () => {
  it("is whsec_ and 32 random bytes in base64, which the webhook channel accepts", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(WebhookConfigSchema.safeParse({ url: "https://example.com/hook", secret: a }).success).toBe(true);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
