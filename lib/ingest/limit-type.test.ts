import { describe, expect, it } from "vitest";
import { limitKind, limitTypeOf } from "./limit-type";

const HASH = "8f4b2c".padEnd(64, "0");
const RESET = "Current limit: 5, Remaining: 0. Limit resets at: 2026-11-25 01:01:00 UTC";

describe("limitTypeOf", () => {
  it("reads the v3 limiter's text for the key's own limits, with or without Starlette's '429: ' prefix", () => {
    expect(limitTypeOf(`429: Rate limit exceeded for api_key: ${HASH}. Limit type: max_parallel_requests. ${RESET}`)).toBe("max_parallel_requests");
    expect(limitTypeOf(`Rate limit exceeded for api_key: ${HASH}. Limit type: max_parallel_requests. ${RESET}`)).toBe("max_parallel_requests");
    expect(limitTypeOf(`429: Rate limit exceeded for api_key: ${HASH}. Limit type: requests. Current limit: 40, Remaining: 0. Limit resets at: 2026-11-25 01:01:00 UTC`)).toBe("rpm");
    expect(limitTypeOf(`429: Rate limit exceeded for api_key: ${HASH}. Limit type: tokens. Current limit: 1000, Remaining: 0. Limit resets at: 2026-11-25 01:01:00 UTC`)).toBe("tpm");
    // The short form the simulator's seeded rows carry, and era C's exception class in front.
    expect(limitTypeOf(`429: Rate limit exceeded for api_key: ${HASH}. Limit type: max_parallel_requests.`)).toBe("max_parallel_requests");
    expect(limitTypeOf(`litellm.RateLimitError: Rate limit exceeded for api_key: ${HASH}. Limit type: requests. ${RESET}`)).toBe("rpm");
    // _handle_rate_limit_error says "unknown" when no descriptor matched the key.
    expect(limitTypeOf(`429: Rate limit exceeded for api_key: unknown. Limit type: max_parallel_requests. ${RESET}`)).toBe("max_parallel_requests");
  });

  it("prefixes another scope's limits with the descriptor, whatever its value holds", () => {
    expect(limitTypeOf(`429: Rate limit exceeded for team: team-a. Limit type: requests. ${RESET}`)).toBe("team_rpm");
    expect(limitTypeOf(`429: Rate limit exceeded for user: alice@example.com. Limit type: tokens. ${RESET}`)).toBe("user_tpm");
    expect(limitTypeOf(`429: Rate limit exceeded for end_user: cust-1. Limit type: max_parallel_requests. ${RESET}`)).toBe("end_user_max_parallel_requests");
    // Values with colons and dots (key:model, team:user).
    expect(limitTypeOf(`429: Rate limit exceeded for model_per_key: ${HASH}:gpt-4.1. Limit type: tokens. ${RESET}`)).toBe("model_per_key_tpm");
    expect(limitTypeOf(`429: Rate limit exceeded for model_per_team: team-a:claude-3.5. Limit type: requests. ${RESET}`)).toBe("model_per_team_rpm");
    expect(limitTypeOf(`429: Rate limit exceeded for team_member: team-a:user-1. Limit type: requests. ${RESET}`)).toBe("team_member_rpm");
  });

  it("names the v1 limiter's texts 'legacy': they do not say which limit was hit", () => {
    expect(
      limitTypeOf(
        "429: LiteLLM Rate Limit Handler for rate limit type = key. Crossed TPM / RPM / Max Parallel Request Limit. current rpm: 1, rpm limit: 1, " +
          "current tpm: 348, tpm limit: 9223372036854775807, current max_parallel_requests: 0, max_parallel_requests: 9223372036854775807",
      ),
    ).toBe("legacy");
    expect(
      limitTypeOf(
        "429: Max parallel request limit reached Crossed TPM / RPM / Max Parallel Request Limit. Hit limit for key. " +
          "Current limits: max_parallel_requests: 0, tpm_limit: 9223372036854775807, rpm_limit: 9223372036854775807",
      ),
    ).toBe("legacy");
    expect(limitTypeOf("429: LiteLLM Rate Limit Handler for rate limit type = team. Crossed TPM / RPM / Max Parallel Request Limit. current rpm: 3")).toBe("legacy");
  });

  it("says 'unknown' for any other text, a missing one, or a limit type it does not know", () => {
    expect(limitTypeOf(null)).toBe("unknown");
    expect(limitTypeOf(undefined)).toBe("unknown");
    expect(limitTypeOf("")).toBe("unknown");
    expect(limitTypeOf("429: Too Many Requests")).toBe("unknown");
    expect(limitTypeOf(`429: Rate limit exceeded for api_key: ${HASH}. Limit type: concurrent_requests. ${RESET}`)).toBe("unknown");
    // A descriptor name must look like one (lower case and underscores).
    expect(limitTypeOf(`429: Rate limit exceeded for API Key: ${HASH}. Limit type: requests. ${RESET}`)).toBe("unknown");
  });
});

describe("limitKind", () => {
  it("counts only the key's own max_parallel_requests as a concurrency rejection; the key's rpm and tpm apart; the rest together", () => {
    expect(limitKind("max_parallel_requests")).toBe("max_parallel_requests");
    expect(limitKind("rpm")).toBe("rpm");
    expect(limitKind("tpm")).toBe("tpm");
    for (const t of ["team_rpm", "model_per_key_tpm", "end_user_max_parallel_requests", "team_max_parallel_requests", "legacy", "unknown"]) {
      expect(limitKind(t)).toBe("other");
    }
  });
});
