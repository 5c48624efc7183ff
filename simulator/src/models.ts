/** The simulated proxy's model list (config.yaml model_list) with per-token prices for spend. */
import crypto from "node:crypto";

export interface ModelInfo {
  name: string;
  provider: string;
  apiBase: string;
  /** USD per prompt / completion token. */
  inPrice: number;
  outPrice: number;
  modelId: string;
}

function m(name: string, provider: string, apiBase: string, inPerM: number, outPerM: number): ModelInfo {
  const modelId = crypto.createHash("sha256").update(`${name}|${provider}|${apiBase}`).digest("hex");
  return { name, provider, apiBase, inPrice: inPerM / 1e6, outPrice: outPerM / 1e6, modelId };
}

export const MODELS: ModelInfo[] = [
  m("gpt-4o", "openai", "https://api.openai.com/v1", 2.5, 10),
  m("gpt-4o-mini", "openai", "https://api.openai.com/v1", 0.15, 0.6),
  m("claude-3-5-sonnet", "anthropic", "https://api.anthropic.com", 3, 15),
  m("fake-openai-endpoint", "openai", "https://exampleopenaiendpoint-production.up.railway.app/", 0, 0),
];

export const MODEL_BY_NAME = new Map(MODELS.map((x) => [x.name, x]));
