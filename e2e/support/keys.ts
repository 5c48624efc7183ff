import { expect, type APIRequestContext } from "@playwright/test";

/** A demo key's hash, once the catalog sync has listed it (the e2e store starts empty). */
export async function hashOf(request: APIRequestContext, alias: string): Promise<string> {
  let hash: string | undefined;
  await expect(async () => {
    const res = await request.get(`/api/overview?from=${Date.now() - 3_600_000}&to=${Date.now()}`);
    expect(res.ok()).toBe(true);
    hash = ((await res.json()) as { rows: { alias: string | null; hash: string }[] }).rows.find((k) => k.alias === alias)?.hash;
    expect(hash, `${alias} among the proxy's keys`).toBeTruthy();
  }).toPass({ timeout: 60_000 });
  return hash!;
}
