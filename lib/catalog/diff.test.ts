import { describe, expect, it } from "vitest";
import type { VirtualKey } from "../litellm/schemas";
import { diffCatalog, type StoredKey } from "./diff";

const vk = (token: string, mpr: number | null, rpm: number | null = null): VirtualKey => ({
  token,
  key_alias: token,
  key_name: null,
  team_id: null,
  user_id: null,
  max_parallel_requests: mpr,
  rpm_limit: rpm,
  tpm_limit: null,
  blocked: false,
  metadata: {},
  spend: 0,
  models: [],
});
const stored = (hash: string, mpr: number | null, inCatalog = true, recorded = true): StoredKey => ({
  id: 1,
  hash,
  inCatalog,
  maxParallelRequests: mpr,
  rpmLimit: null,
  tpmLimit: null,
  lastRecorded: recorded ? { maxParallelRequests: mpr, rpmLimit: null, tpmLimit: null } : null,
});

describe("diffCatalog", () => {
  it("records limits for new keys and for keys whose limits changed on the proxy", () => {
    const d = diffCatalog([stored("a", 5), stored("b", 3)], [vk("a", 5), vk("b", 10), vk("c", null)]);
    expect(d.limitChanges.map((c) => c.hash)).toEqual(["b", "c"]);
    expect(d.limitChanges[0].limits.maxParallelRequests).toBe(10);
    expect(d.removed).toEqual([]);
  });

  it("an rpm change alone is a limit change; clearing a limit to null is one too", () => {
    expect(diffCatalog([stored("a", 5)], [vk("a", 5, 100)]).limitChanges).toHaveLength(1);
    expect(diffCatalog([stored("a", 5)], [vk("a", null)]).limitChanges[0].limits.maxParallelRequests).toBeNull();
  });

  it("placeholder keys met in spend logs get their first limits on first sight in the list", () => {
    expect(diffCatalog([stored("a", null, false, false)], [vk("a", 4)]).limitChanges).toHaveLength(1);
  });

  it("keys the proxy no longer lists are marked removed once", () => {
    expect(diffCatalog([stored("a", 5), stored("gone", 1), stored("old", 1, false)], [vk("a", 5)]).removed).toEqual(["gone"]);
  });
});
