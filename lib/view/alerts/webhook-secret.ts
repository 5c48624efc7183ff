/**
 * A Standard Webhooks signing secret made in the browser: `whsec_` and the base64 of 32 random
 * bytes (the standard wants 24 to 64) from the Web Crypto API, so the secret never has to travel
 * anywhere but into the form the admin saves.
 */
export function newWebhookSecret(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
