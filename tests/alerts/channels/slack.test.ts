// The Slack channel against a real receiver standing in for hooks.slack.com (listed in the allowed
// hosts, as an operator would list a Slack-compatible receiver): Block Kit and fallback text with
// the facts, the wording of each phase and of a test, the hooks.slack.com rule, redaction.
import { describe, expect, it } from "vitest";
import { validateChannelConfig } from "../../../lib/alerts/channels";
import { type SlackConfig, slackNotifier, slackTargetProblem } from "../../../lib/alerts/channels/slack";
import type { AlertNotification } from "../../../lib/alerts/types";
import { CHART_URL, context, notification, useReceiver } from "./fixtures";

const r = useReceiver();
const PATH = "/services/T0001ABCD/B0002EFGH/q7Hc0ZsecretXk1W";
const config = (): SlackConfig => ({ webhookUrl: `${r.rx.url}${PATH}` });

interface Sent {
  text: string;
  blocks: { type: string; text?: { type: string; text: string }; fields?: { text: string }[]; elements?: { type: string; url: string; text: { text: string } }[] }[];
}

async function sent(n: AlertNotification): Promise<Sent> {
  r.rx.reset();
  expect(await slackNotifier.send(n, config(), context())).toMatchObject({ ok: true, status: 200 });
  expect(r.rx.requests.map((q) => [q.method, q.path, q.headers["content-type"]])).toEqual([["POST", PATH, "application/json"]]);
  return JSON.parse(r.rx.requests[0].body) as Sent;
}

const header = (s: Sent) => s.blocks.find((b) => b.type === "header")!.text!.text;
const fields = (s: Sent) => s.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
const buttons = (s: Sent) => s.blocks.flatMap((b) => b.elements ?? []);

describe("the message", () => {
  it("Block Kit with what happened, which key, peak against limit, since when, environment, rule and the chart", async () => {
    const s = await sent(notification());
    expect(header(s)).toBe(":rotating_light: [production] Limit exceeded on key prod-app");
    expect(s.blocks[1]).toEqual({ type: "section", text: { type: "mrkdwn", text: "Key prod-app had 6 requests in flight against its limit of 4." } });
    expect(fields(s)).toEqual([
      "*Key*\nprod-app (ab12cd34…)",
      "*In flight*\nPeak 6 in flight against a limit of 4",
      "*Since*\n<!date^1795571527^{date_short_pretty} {time_secs}|2026-11-25 01:52:07 UTC>",
      "*Environment*\nproduction",
      "*Rule*\nOver the limit",
    ]);
    expect(buttons(s)).toEqual([{ type: "button", text: { type: "plain_text", text: "Open the chart in Inflight" }, url: CHART_URL }]);
  });

  it("a fallback text with the same facts", async () => {
    const s = await sent(notification());
    expect(s.text).toBe(
      "[production] Limit exceeded on key prod-app: peak 6 in flight against a limit of 4, since 2026-11-25 01:52:07 UTC. " +
        `Key prod-app (ab12cd34…). Key prod-app had 6 requests in flight against its limit of 4. <${CHART_URL}|Open the chart>`,
    );
  });

  it("distinct words for firing, still firing, resolved and found after it ended; until when once ended", async () => {
    const ended = "2026-11-25T02:10:00.000Z";
    const firing = await sent(notification());
    const repeat = await sent(notification({ phase: "repeat" }));
    const resolved = await sent(notification({ phase: "resolved", endedAt: ended }));
    const past = await sent(notification({ phase: "past", endedAt: ended }));
    expect([firing, repeat, resolved, past].map(header)).toEqual([
      ":rotating_light: [production] Limit exceeded on key prod-app",
      ":rotating_light: [production] Still firing: Limit exceeded on key prod-app",
      ":white_check_mark: [production] Resolved: Limit exceeded on key prod-app",
      ":hourglass: [production] Found after it ended: Limit exceeded on key prod-app",
    ]);
    expect(fields(resolved)).toContain("*Until*\n<!date^1795572600^{date_short_pretty} {time_secs}|2026-11-25 02:10:00 UTC>");
    expect(fields(firing).some((f) => f.startsWith("*Until*"))).toBe(false);
    expect(past.text).toContain("from 2026-11-25 01:52:07 UTC to 2026-11-25 02:10:00 UTC");
  });

  it("stuck and drift speak of LiteLLM's count; no alias shows the short hash; no environment, no field", async () => {
    const s = await sent(notification({ detector: "stuck", keyAlias: null, environment: null, limit: null, peak: 3 }));
    expect(header(s)).toBe(":rotating_light: Limiter stuck on key ab12cd34…");
    expect(fields(s)).toContain("*In flight*\nLiteLLM's count 3 against no limit");
    expect(fields(s)).toContain("*Key*\nab12cd34…");
    expect(fields(s).some((f) => f.startsWith("*Environment*"))).toBe(false);
  });

  it("escapes Slack's markup in text that comes from elsewhere", async () => {
    const s = await sent(notification({ keyAlias: "<!channel> & co", summary: "a <b> summary" }));
    expect(fields(s)[0]).toBe("*Key*\n&lt;!channel&gt; &amp; co (ab12cd34…)");
    expect(s.blocks[1].text!.text).toBe("a &lt;b&gt; summary");
    expect(s.text).not.toContain("<!channel>");
  });

  it("test(): marked as a test, about test-key, with no chart button", async () => {
    r.rx.reset();
    expect(await slackNotifier.test(config(), context())).toMatchObject({ ok: true, status: 200 });
    const s = JSON.parse(r.rx.requests[0].body) as Sent;
    expect(header(s)).toBe(":test_tube: Test from Inflight: Limit exceeded on key test-key");
    expect(s.text).toMatch(/^Test from Inflight: .*This is a test from Inflight/);
    expect(buttons(s)).toEqual([]);
  });
});

describe("where it may post", () => {
  it("https://hooks.slack.com, or a host listed in ALERT_ALLOWED_HOSTS", () => {
    expect(slackTargetProblem("https://hooks.slack.com/services/T/B/x", [])).toBeNull();
    expect(slackTargetProblem("http://chat.internal:8065/hooks/x", ["chat.internal"])).toBeNull();
    const elsewhere = "A Slack webhook URL must start with https://hooks.slack.com/; list";
    expect(slackTargetProblem("http://hooks.slack.com/services/T/B/x", [])).toBe(`${elsewhere} hooks.slack.com in ALERT_ALLOWED_HOSTS to post there instead`);
    expect(slackTargetProblem("https://hooks.slack.com.evil.example/services/T/B/x", [])).toBe(
      `${elsewhere} hooks.slack.com.evil.example in ALERT_ALLOWED_HOSTS to post there instead`,
    );
  });

  it("an unlisted host is refused at send: permanent, nothing sent, the path not in the error", async () => {
    const res = await slackNotifier.send(notification(), config(), context({ allowedHosts: [] }));
    expect(res).toMatchObject({ ok: false, status: null, permanent: true, error: expect.stringMatching(/^refused: A Slack webhook URL must start with https:\/\/hooks\.slack\.com\//) });
    expect(res.error).not.toContain("q7Hc0ZsecretXk1W");
    expect(r.rx.requests).toEqual([]);
  });

  it("validateChannelConfig checks the shape, then the host against the allowed hosts", () => {
    expect(validateChannelConfig("slack", { webhookUrl: "https://hooks.slack.com/services/T/B/x" }, [])).toEqual({
      ok: true,
      config: { webhookUrl: "https://hooks.slack.com/services/T/B/x" },
    });
    expect(validateChannelConfig("slack", {}, [])).toEqual({ ok: false, errors: ["webhookUrl: The Slack webhook URL is required"] });
    expect(validateChannelConfig("slack", { webhookUrl: "hooks.slack.com/services/T/B/x" }, [])).toEqual({
      ok: false,
      errors: ["webhookUrl: The Slack webhook URL must be a URL such as https://hooks.slack.com/services/T…/B…/…"],
    });
    expect(validateChannelConfig("slack", { webhookUrl: "https://example.com/services/T/B/x" }, [])).toEqual({
      ok: false,
      errors: ["A Slack webhook URL must start with https://hooks.slack.com/; list example.com in ALERT_ALLOWED_HOSTS to post there instead"],
    });
    expect(validateChannelConfig("slack", { webhookUrl: "https://example.com/services/T/B/x" }, ["example.com"]).ok).toBe(true);
  });
});

describe("redact", () => {
  it("shows the host and the last four characters of the path", () => {
    const shown = slackNotifier.redact({ webhookUrl: "https://hooks.slack.com/services/T0001ABCD/B0002EFGH/q7Hc0ZsecretXk1W" });
    expect(shown).toEqual({ webhookUrl: "hooks.slack.com/…Xk1W" });
  });
});
