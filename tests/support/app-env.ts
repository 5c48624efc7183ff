// The server's composition root (`app()`) reads its settings from the environment once: a test that
// drives route handlers gives it exactly its own, with every setting the outer environment may carry
// for Inflight, LiteLLM, ingest or alerting removed first, and puts the environment back afterwards.

const SETTINGS = /^(LITELLM_|REDIS_|INFLIGHT_|INGEST_|ALERT_|METRICS_TOKEN$|PORT$|HOST$|DATA_DIR$)/;

/** Sets the app's environment to `env` alone; the function returned puts the environment back as it was. */
export function setAppEnv(env: Record<string, string>): () => void {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (SETTINGS.test(k)) delete process.env[k];
  Object.assign(process.env, env);
  return () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  };
}
