/**
 * GET /coordination_redis/settings (LiteLLM v1.93+, PRs #32635/#32661, §10.3): where the proxy's coordination Redis,
 * the one the limiter counts in, comes from. `CoordinationRedisSettingsResponse` of
 * litellm/proxy/management_endpoints/coordination_redis_endpoints.py: `values` (the `coordination_redis` block,
 * credentials redacted), `fields` (COORDINATION_REDIS_SETTINGS_FIELDS with `field_value` from `values`) and `source`.
 *
 * The simulator has no config file and no `litellm_settings.cache`: its Redis is --redis-url, which stands for the
 * REDIS_* environment, so `source` is "environment" with it and null (per-worker counting) without, and `values` is
 * empty either way (there is no `coordination_redis` block to show).
 */

type Section = "connection" | "cluster" | "sentinel";

/** litellm/types/management_endpoints/coordination_redis_endpoints.py, in its order. */
const FIELDS: { field_name: string; field_type: string; field_description: string; field_default: unknown; ui_field_name: string; section: Section }[] = [
  { field_name: "host", field_type: "String", field_description: "Redis server hostname or IP address", field_default: null, ui_field_name: "Host", section: "connection" },
  { field_name: "port", field_type: "Integer", field_description: "Redis server port number", field_default: 6379, ui_field_name: "Port", section: "connection" },
  { field_name: "username", field_type: "String", field_description: "Redis server username (if required)", field_default: null, ui_field_name: "Username", section: "connection" },
  { field_name: "password", field_type: "String", field_description: "Redis server password", field_default: null, ui_field_name: "Password", section: "connection" },
  {
    field_name: "url",
    field_type: "String",
    field_description: "Full Redis connection URL (e.g. redis://:password@host:6379/1). Set this instead of the discrete host/port/username/password fields.",
    field_default: null,
    ui_field_name: "Redis URL",
    section: "connection",
  },
  { field_name: "ssl", field_type: "Boolean", field_description: "Connect to Redis over TLS", field_default: false, ui_field_name: "SSL", section: "connection" },
  {
    field_name: "startup_nodes",
    field_type: "List",
    field_description: "Cluster-mode startup nodes (e.g. [{'host': '127.0.0.1', 'port': 7001}]). When set, a Redis Cluster client is used.",
    field_default: null,
    ui_field_name: "Cluster Startup Nodes",
    section: "cluster",
  },
  {
    field_name: "sentinel_nodes",
    field_type: "List",
    field_description: "Sentinel [host, port] pairs (e.g. [['localhost', 26379]]). When set, a Sentinel-managed client is used.",
    field_default: null,
    ui_field_name: "Sentinel Nodes",
    section: "sentinel",
  },
  { field_name: "sentinel_password", field_type: "String", field_description: "Password for the Redis Sentinel nodes", field_default: null, ui_field_name: "Sentinel Password", section: "sentinel" },
  { field_name: "service_name", field_type: "String", field_description: "Master service name for Redis Sentinel", field_default: null, ui_field_name: "Service Name", section: "sentinel" },
];

export function coordinationRedisSettings(hasRedis: boolean): Record<string, unknown> {
  return {
    values: {},
    // CoordinationRedisSettingsField's field order; field_value stays null with no block to take it from.
    fields: FIELDS.map((f) => ({
      field_name: f.field_name,
      field_type: f.field_type,
      field_value: null,
      field_description: f.field_description,
      field_default: f.field_default,
      ui_field_name: f.ui_field_name,
      section: f.section,
    })),
    source: hasRedis ? "environment" : null,
  };
}
