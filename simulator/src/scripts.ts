/**
 * Lua scripts as LiteLLM registers them (litellm/proxy/hooks/parallel_request_limiter_v3.py).
 * docs/litellm-reference.md §2.3 (era B) and §2.4 (era C). Comments trimmed; logic verbatim.
 */

/** Era B copy (Oct 2025): INCR without the later "EXPIRE if TTL == -1" fix. */
export const BATCH_RATE_LIMITER_SCRIPT_B = `
local results = {}
local now = tonumber(ARGV[1])
local window_size = tonumber(ARGV[2])
for i = 1, #KEYS, 2 do
    local window_key = KEYS[i]
    local counter_key = KEYS[i + 1]
    local increment_value = 1
    local window_start = redis.call('GET', window_key)
    if not window_start or (now - tonumber(window_start)) >= window_size then
        redis.call('SET', window_key, tostring(now))
        redis.call('SET', counter_key, increment_value)
        redis.call('EXPIRE', window_key, window_size)
        redis.call('EXPIRE', counter_key, window_size)
        table.insert(results, tostring(now))
        table.insert(results, increment_value)
    else
        local counter = redis.call('INCR', counter_key)
        table.insert(results, window_start)
        table.insert(results, counter)
    end
end
return results
`;

/** Era C copy: the same script with the counter TTL fix. */
export const BATCH_RATE_LIMITER_SCRIPT_C = `
local results = {}
local now = tonumber(ARGV[1])
local window_size = tonumber(ARGV[2])
for i = 1, #KEYS, 2 do
    local window_key = KEYS[i]
    local counter_key = KEYS[i + 1]
    local increment_value = 1
    local window_start = redis.call('GET', window_key)
    if not window_start or (now - tonumber(window_start)) >= window_size then
        redis.call('SET', window_key, tostring(now))
        redis.call('SET', counter_key, increment_value)
        redis.call('EXPIRE', window_key, window_size)
        redis.call('EXPIRE', counter_key, window_size)
        table.insert(results, tostring(now))
        table.insert(results, increment_value)
    else
        local counter = redis.call('INCR', counter_key)
        local current_ttl = redis.call('TTL', counter_key)
        if current_ttl == -1 then
            redis.call('EXPIRE', counter_key, window_size)
        end
        table.insert(results, window_start)
        table.insert(results, counter)
    end
end
return results
`;

export const TOKEN_INCREMENT_SCRIPT = `
local results = {}
for i = 1, #KEYS do
    local key = KEYS[i]
    local increment_value = tonumber(ARGV[i * 2 - 1])
    local ttl_seconds = tonumber(ARGV[i * 2])
    local new_value = redis.call('INCRBYFLOAT', key, increment_value)
    if ttl_seconds and ttl_seconds > 0 then
        local current_ttl = redis.call('TTL', key)
        if current_ttl == -1 then
            redis.call('EXPIRE', key, ttl_seconds)
        end
    end
    table.insert(results, new_value)
end
return results
`;

export const PARALLEL_ACQUIRE_SCRIPT = `
local time_reply = redis.call('TIME')
local now = tonumber(time_reply[1])
for i = 1, #KEYS do
    local limit = tonumber(ARGV[(i - 1) * 3 + 1])
    local slot_ttl = tonumber(ARGV[(i - 1) * 3 + 2])
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - slot_ttl)
    local in_flight = redis.call('ZCARD', KEYS[i])
    if in_flight + 1 > limit then
        return { 1, i, in_flight, limit }
    end
end
local results = { 0 }
for i = 1, #KEYS do
    local slot_ttl = tonumber(ARGV[(i - 1) * 3 + 2])
    local slot_id = ARGV[(i - 1) * 3 + 3]
    redis.call('ZADD', KEYS[i], now, slot_id)
    redis.call('EXPIRE', KEYS[i], slot_ttl)
    table.insert(results, redis.call('ZCARD', KEYS[i]))
end
return results
`;

export const PARALLEL_RELEASE_SCRIPT = `
local results = {}
for i = 1, #KEYS do
    redis.call('ZREM', KEYS[i], ARGV[i])
    table.insert(results, redis.call('ZCARD', KEYS[i]))
end
return results
`;

/** Hard-coded in LiteLLM; the default of --slot-ttl, which tests lower to see a leaked slot expire. */
export const PARALLEL_REQUEST_SLOT_TTL_SECONDS = 3600;
