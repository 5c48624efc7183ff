// The registry (one notifier per channel type, configs checked by type) and the in-app channel,
// which hands notifications to the bell's feed.
import { describe, expect, it } from "vitest";
import { NOTIFIERS, validateChannelConfig } from "../../../lib/alerts/channels";
import { CHANNEL_TYPES } from "../../../lib/alerts/channels/channel";
import { inAppNotifier } from "../../../lib/alerts/channels/in-app";
import { context, memoryFeed, notification } from "./fixtures";

describe("NOTIFIERS", () => {
  it("holds one notifier per channel type, under its own type", () => {
    expect(Object.keys(NOTIFIERS).sort()).toEqual([...CHANNEL_TYPES].sort());
    for (const type of CHANNEL_TYPES) expect(NOTIFIERS[type].type).toBe(type);
  });

  it("validateChannelConfig names each bad field, and passes the parsed config through", () => {
    expect(validateChannelConfig("webhook", { url: "nope", secret: "nope" }, [])).toEqual({
      ok: false,
      errors: [
        "url: The webhook URL must be a URL such as https://example.com/hooks/inflight",
        "secret: The signing secret must be whsec_ followed by base64 (a Standard Webhooks secret)",
      ],
    });
    expect(validateChannelConfig("in-app", { anything: 1 }, [])).toEqual({ ok: true, config: {} });
    expect(validateChannelConfig("in-app", null, [])).toEqual({ ok: false, errors: ["config: Invalid input: expected object, received null"] });
  });
});

describe("in-app", () => {
  it("send adds the notification to the feed", async () => {
    const feed = memoryFeed();
    const n = notification();
    expect(await inAppNotifier.send(n, {}, context({ feed }))).toMatchObject({ ok: true, status: null, error: null, permanent: false });
    expect(feed.added).toEqual([n]);
  });

  it("test adds a notification marked as a test; nothing to render or redact", async () => {
    const feed = memoryFeed();
    expect((await inAppNotifier.test({}, context({ feed }))).ok).toBe(true);
    expect(feed.added).toEqual([expect.objectContaining({ test: true, keyHash: "test-key", summary: expect.stringMatching(/^This is a test from Inflight/) })]);
    expect(inAppNotifier.render(notification(), {})).toBeNull();
    expect(inAppNotifier.redact({})).toEqual({});
  });

  it("a feed that fails is a failed send, worth a retry, naming the driver's code and not its words", async () => {
    const feed = { add: async () => Promise.reject(Object.assign(new Error("could not reach db.internal:5432"), { code: "ECONNREFUSED" })) };
    expect(await inAppNotifier.send(notification(), {}, context({ feed }))).toMatchObject({
      ok: false,
      status: null,
      error: "could not add it to the in-app feed (ECONNREFUSED)",
      permanent: false,
    });
  });
});
