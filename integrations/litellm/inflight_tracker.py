"""Inflight tracker: a LiteLLM proxy callback that records every request's start and end in Redis.

Mount it next to the proxy config:

    litellm_settings:
      callbacks: inflight_tracker.proxy_handler_instance

It writes the Redis layout of Inflight's `docs/tracker-layout.md` (version 1) and depends on nothing
but `redis` (redis-py's asyncio client; 4.3.4, Debian's python3-redis, is enough). See README.md.

Lifecycle (LiteLLM's callback plumbing, read from its source; see README.md for the versions):

- start: the first `async_pre_call_deployment_hook` of a call (admitted by the limiter, a deployment
  chosen, going upstream). It runs once per attempt; repeats cost nothing (the call is already open
  in this process) and a late start after the call ended is ignored.
- end: the earliest awaited signal: `async_post_call_success_hook` (non-streaming), this callback's
  own wrapper in `async_post_call_streaming_iterator_hook` (streaming: exhausted -> ok, upstream
  error -> error, closed or cancelled -> cancelled), `async_post_call_failure_hook` (failures).
  `async_log_success_event` (a background queue that may drop events) is an idempotent backstop.
  `async_log_failure_event` is not an end: the proxy fires it once per request, at the first failed
  attempt, while router retries and fallbacks may still run.
- rejection: a limiter 429 (status 429 and LiteLLM's "Limit type: ..." message or its
  `rate_limit_type` header) seen by `async_post_call_failure_hook` for a call that never started.

Every hook takes `*args, **kwargs`, never raises into the proxy (its own errors are logged at most
once per kind every 5 minutes), returns None (so it never modifies a request, a response or an
error), and awaits at most one pipelined Redis round trip. `INFLIGHT_TRACKER_DISABLED=1` makes every
hook a no-op (the stream wrapper then passes chunks through untouched).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import socket
import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

__version__ = "1.0.0"

logger = logging.getLogger("inflight_tracker")

PREFIX = "inflight:tracker:v1:"
EVENTS_MAXLEN = 100_000
HEARTBEAT_INTERVAL_S = 5.0
DEFAULT_MAX_AGE_S = 1800
DEFAULT_TIMEOUT_S = 0.25
RETRY_AFTER_S = 1.0
WARN_EVERY_S = 300.0
HEARTBEAT_VERSION = "litellm-callback/" + __version__

# --- The base class: LiteLLM's CustomLogger when importable, else a stand-in so the module imports. ---
_base_import_error: Optional[BaseException] = None
try:
    from litellm.integrations.custom_logger import CustomLogger as _CustomLoggerBase
except ImportError:

    class _CustomLoggerBase:  # type: ignore[no-redef]
        """Fallback when litellm is not importable (tests, tooling): LiteLLM will not call it."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

except Exception as _e:  # litellm present but broken: never break the proxy's startup
    _base_import_error = _e

    class _CustomLoggerBase:  # type: ignore[no-redef]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

try:
    import redis.asyncio as _aioredis
except Exception:  # redis missing: every event is dropped, with one warning
    _aioredis = None  # type: ignore[assignment]


# --- Small helpers ------------------------------------------------------------------------------

_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
_LIMIT_TYPE_RE = re.compile(r"Limit type:\s*([A-Za-z_]+)")
_LIMIT_TYPES = {
    "max_parallel_requests": "max_parallel_requests",
    "concurrent_requests": "max_parallel_requests",
    "parallel_requests": "max_parallel_requests",
    "requests": "rpm",
    "rpm": "rpm",
    "tokens": "tpm",
    "tpm": "tpm",
}
_MAX_CALL_ID_LEN = 256


def _truthy(value: Any) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def _is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping)


def _get(mapping: Any, *path: str) -> Any:
    """mapping[path[0]][path[1]]…, or None when any step is missing or not a mapping."""
    cur = mapping
    for key in path:
        if not isinstance(cur, Mapping):
            return None
        cur = cur.get(key)
    return cur


def _pick(args: tuple, kwargs: dict, name: str, pos: int, ok: Callable[[Any], bool]) -> Any:
    """A hook argument by name, else by position, else the first argument that fits."""
    if name in kwargs and ok(kwargs[name]):
        return kwargs[name]
    if len(args) > pos and ok(args[pos]):
        return args[pos]
    for value in list(args) + list(kwargs.values()):
        if ok(value):
            return value
    return None


def normalize_key_hash(value: Any) -> Optional[str]:
    """LiteLLM's key hash (SHA-256 hex of the key); a raw `sk-…` key is hashed the way LiteLLM does."""
    if not isinstance(value, str):
        return None
    s = value.strip()
    if _HEX64.match(s):
        return s.lower()
    if s.startswith("sk-"):
        return hashlib.sha256(s.encode("utf-8")).hexdigest()
    return None


def key_hash_from_auth(auth: Any) -> Optional[str]:
    """From a UserAPIKeyAuth: `.api_key`, else `.token` (a dict with those keys also works)."""
    if auth is None:
        return None
    for attr in ("api_key", "token"):
        value = auth.get(attr) if isinstance(auth, Mapping) else getattr(auth, attr, None)
        h = normalize_key_hash(value)
        if h:
            return h
    return None


def key_hash_from_call(kwargs: Any) -> Optional[str]:
    """From proxy request data or litellm call kwargs: `metadata` or `litellm_metadata` (top level
    or under `litellm_params`), else `standard_logging_object.metadata` (log events only)."""
    candidates = []
    for meta_name in ("metadata", "litellm_metadata"):
        candidates.append(_get(kwargs, meta_name))
        candidates.append(_get(kwargs, "litellm_params", meta_name))
    candidates.append(_get(kwargs, "standard_logging_object", "metadata"))
    for field in ("user_api_key_hash", "user_api_key"):
        for meta in candidates:
            h = normalize_key_hash(_get(meta, field))
            if h:
                return h
    return None


def call_id_from(kwargs: Any) -> Optional[str]:
    value = _get(kwargs, "litellm_call_id")
    if value is None:
        value = _get(kwargs, "litellm_params", "litellm_call_id")
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return None
    s = str(value)
    return s if 0 < len(s) <= _MAX_CALL_ID_LEN else None


def _status_of(exc: Any) -> Optional[int]:
    for attr in ("status_code", "code"):
        value = getattr(exc, attr, None)
        try:
            if value is not None:
                return int(value)
        except (TypeError, ValueError):
            continue
    return None


def _text_of(exc: Any) -> str:
    parts = []
    for value in (getattr(exc, "detail", None), getattr(exc, "message", None), exc):
        if value is None:
            continue
        try:
            parts.append(value if isinstance(value, str) else str(value))
        except Exception:
            continue
    return " ".join(parts)


def limiter_limit_type(exc: Any) -> Optional[str]:
    """The limit type of a LiteLLM limiter 429, or None when `exc` is something else."""
    if exc is None or _status_of(exc) != 429:
        return None
    raw = None
    headers = getattr(exc, "headers", None)
    if headers is not None and hasattr(headers, "items"):
        for k, v in headers.items():
            if str(k).lower().replace("-", "_") == "rate_limit_type" and v:
                raw = str(v)
                break
    if raw is None:
        m = _LIMIT_TYPE_RE.search(_text_of(exc))
        if m is None:
            return None
        raw = m.group(1)
    return _LIMIT_TYPES.get(raw.strip().lower(), "other")


def _client_gone(exc: Any) -> bool:
    if _status_of(exc) == 499 or isinstance(exc, asyncio.CancelledError):
        return True
    name = type(exc).__name__.lower()
    return "clientdisconnect" in name or "client disconnected" in _text_of(exc).lower()


def _disconnected_success(kwargs: Any) -> bool:
    """A success event LiteLLM logs for a stream the client left (partial response, 499)."""
    for meta in (
        _get(kwargs, "standard_logging_object", "metadata"),
        _get(kwargs, "litellm_params", "metadata"),
        _get(kwargs, "litellm_params", "litellm_metadata"),
        _get(kwargs, "metadata"),
    ):
        if _truthy(_get(meta, "client_disconnected")) or _get(meta, "client_disconnected") is True:
            return True
    code = _get(kwargs, "standard_logging_object", "error_information", "error_code")
    return str(code) == "499"


def _to_ms(value: Any) -> Optional[int]:
    try:
        if value is None or isinstance(value, bool):
            return None
        if hasattr(value, "timestamp"):
            return int(value.timestamp() * 1000)
        if isinstance(value, (int, float)):
            return int(value * 1000) if value < 1e11 else int(value)
    except Exception:
        return None
    return None


def _is_streaming(data: Any, response: Any) -> bool:
    if _truthy(_get(data, "stream")):
        return True
    return response is not None and hasattr(response, "__aiter__")


def redis_settings(env: Mapping[str, str]) -> Optional[Dict[str, Any]]:
    """Where to write: INFLIGHT_TRACKER_REDIS_URL, INFLIGHT_REDIS_URL, REDIS_URL, else LiteLLM's
    REDIS_HOST / REDIS_PORT / REDIS_PASSWORD (/ REDIS_USERNAME, REDIS_SSL)."""
    for name in ("INFLIGHT_TRACKER_REDIS_URL", "INFLIGHT_REDIS_URL", "REDIS_URL"):
        url = (env.get(name) or "").strip()
        if url:
            return {"url": url, "source": name}
    host = (env.get("REDIS_HOST") or "").strip()
    if host:
        try:
            port = int(env.get("REDIS_PORT") or 6379)
        except ValueError:
            port = 6379
        return {
            "host": host,
            "port": port,
            "password": env.get("REDIS_PASSWORD") or None,
            "username": env.get("REDIS_USERNAME") or None,
            "ssl": _truthy(env.get("REDIS_SSL")),
            "source": "REDIS_HOST",
        }
    return None


class _Open:
    __slots__ = ("key_hash", "start_ms", "start_written", "end", "end_in_flight")

    def __init__(self, key_hash: str, start_ms: int) -> None:
        self.key_hash = key_hash
        self.start_ms = start_ms
        self.start_written = False
        self.end: Optional[Tuple[str, int]] = None  # the first end signal: (outcome, t)
        self.end_in_flight = False


# --- The writer -----------------------------------------------------------------------------------


class Tracker:
    """In-process state and the Redis writes of one worker process (one pipeline per lifecycle point)."""

    def __init__(
        self,
        *,
        url: Optional[str] = None,
        env: Optional[Mapping[str, str]] = None,
        clock_ms: Optional[Callable[[], int]] = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_age_s: Optional[int] = None,
        heartbeat_interval_s: float = HEARTBEAT_INTERVAL_S,
        retry_after_s: float = RETRY_AFTER_S,
        ended_lru_size: int = 8192,
        max_open: int = 100_000,
    ) -> None:
        self._env = env if env is not None else os.environ
        self._url = url
        self._clock_ms = clock_ms
        self._timeout_s = timeout_s
        if max_age_s is None:
            try:
                max_age_s = int(self._env.get("INFLIGHT_TRACKER_MAX_AGE_S") or DEFAULT_MAX_AGE_S)
            except ValueError:
                max_age_s = DEFAULT_MAX_AGE_S
        self.max_age_s = max_age_s if max_age_s > 0 else DEFAULT_MAX_AGE_S
        self._heartbeat_ms = int(heartbeat_interval_s * 1000)
        self._retry_after_s = retry_after_s
        self._ended_lru_size = ended_lru_size
        self._max_open = max_open
        self._lock = threading.Lock()
        self._warned: Dict[str, float] = {}
        self._reset_process_state()

    def __copy__(self) -> "Tracker":
        return self  # one writer per process, even if LiteLLM copies its callbacks

    def __deepcopy__(self, memo: Any) -> "Tracker":
        return self

    # -- process state (reset after a fork: counters, clients and open calls belong to one process)

    def _reset_process_state(self) -> None:
        self._pid = os.getpid()
        try:
            host = socket.gethostname()
        except Exception:
            host = "unknown"
        self.worker_id = f"{host}:{self._pid}"
        self.started_ms = self.now_ms()
        self._clients: Dict[int, Tuple[Any, Any]] = {}  # id(loop) -> (loop, client)
        self._open: "OrderedDict[str, _Open]" = OrderedDict()
        self._ended: "OrderedDict[str, int]" = OrderedDict()
        self._last_heartbeat_ms: Optional[int] = None
        self._down_until = 0.0
        self._tasks: set = set()
        self.stats: Dict[str, int] = {
            "dropped": 0,  # events lost to Redis errors (reported in the heartbeat)
            "no_key": 0,  # requests skipped: no key hash found
            "no_call_id": 0,  # requests skipped: no litellm_call_id found
            "late_start": 0,  # starts ignored because the call had ended
            "unknown_end": 0,  # end signals for calls this process never started
            "pipelines": 0,  # round trips that succeeded
        }

    def _check_pid(self) -> None:
        if os.getpid() != self._pid:
            self._reset_process_state()

    def now_ms(self) -> int:
        return int(self._clock_ms()) if self._clock_ms else int(time.time() * 1000)

    def disabled(self) -> bool:
        return _truthy(self._env.get("INFLIGHT_TRACKER_DISABLED"))

    def warn(self, kind: str, message: Any, level: int = logging.WARNING) -> None:
        """At most one log line per kind of failure every WARN_EVERY_S."""
        try:
            now = time.monotonic()
            last = self._warned.get(kind)
            if last is not None and now - last < WARN_EVERY_S:
                return
            self._warned[kind] = now
            logger.log(level, "inflight tracker: %s: %s (more of these muted for %ds)", kind, message, WARN_EVERY_S)
        except Exception:
            pass

    def is_open(self, call_id: Optional[str]) -> bool:
        return call_id is not None and call_id in self._open

    def has_ended(self, call_id: Optional[str]) -> bool:
        return call_id is not None and call_id in self._ended

    # -- lifecycle points

    async def start(self, call_id: Optional[str], key_hash: Optional[str]) -> None:
        if not call_id:
            self.stats["no_call_id"] += 1
            self.warn("no_call_id", "a call without litellm_call_id was not tracked", logging.INFO)
            return
        with self._lock:
            self._check_pid()
            if call_id in self._ended:
                self.stats["late_start"] += 1
                return
            entry = self._open.get(call_id)
            if entry is not None and (entry.start_written or entry.end is not None):
                return  # a later attempt of the same call (already open), or its end is pending
            if entry is None:
                if not key_hash:
                    self.stats["no_key"] += 1
                    self.warn(
                        "no_key",
                        "a call without an API key hash (no user_api_key_hash in metadata or litellm_metadata; "
                        "e.g. a health check) was not tracked",
                        logging.INFO,
                    )
                    return
                entry = _Open(key_hash, self.now_ms())
                self._open[call_id] = entry
                self._prune_open()
        ok = await self._write([lambda p, w, t: self._cmd_start(p, w, call_id, entry)], 1)
        if ok:
            entry.start_written = True

    async def end(self, call_id: Optional[str], outcome: str, t_ms: Optional[int] = None) -> None:
        if not call_id:
            return
        with self._lock:
            self._check_pid()
            if call_id in self._ended:
                return  # a repeat of an end already written
            entry = self._open.get(call_id)
            if entry is None:
                self.stats["unknown_end"] += 1
                return
            if entry.end_in_flight:
                return  # another signal is writing this end right now
            if entry.end is None:
                now = self.now_ms()
                t = now if t_ms is None else min(max(int(t_ms), entry.start_ms), now)
                entry.end = (outcome, t)
            entry.end_in_flight = True
        ok = False
        try:
            ok = await self._write([lambda p, w, t: self._cmd_end(p, w, call_id, entry)], 1)
        finally:
            with self._lock:
                entry.end_in_flight = False
                if ok:
                    self._open.pop(call_id, None)
                    self._ended[call_id] = entry.end[1] if entry.end else 0
                    while len(self._ended) > self._ended_lru_size:
                        self._ended.popitem(last=False)
        # On failure the call stays open here, so a later signal (the backstop) retries the same end.

    async def reject(self, key_hash: Optional[str], limit_type: str) -> None:
        if not key_hash:
            self.stats["no_key"] += 1
            self.warn("no_key", "a limiter rejection without an API key hash was not counted", logging.INFO)
            return
        with self._lock:
            self._check_pid()
        await self._write([lambda p, w, t: self._cmd_reject(p, w, t, key_hash, limit_type)], 1)

    # -- commands (each on one key; the layout's exact commands)

    def _ttl_ms(self) -> int:
        return 2 * self.max_age_s * 1000

    def _cmd_start(self, pipe: Any, worker: str, call_id: str, entry: _Open) -> None:
        h, t = entry.key_hash, entry.start_ms
        open_key = f"{PREFIX}open:{{{h}}}"
        pipe.zadd(open_key, {call_id: t}, nx=True)
        pipe.pexpire(open_key, self._ttl_ms())
        pipe.zadd(PREFIX + "keys", {h: t})
        pipe.xadd(
            PREFIX + "events",
            {"e": "s", "k": h, "c": call_id, "t": t, "w": worker},
            maxlen=EVENTS_MAXLEN,
            approximate=True,
        )

    def _cmd_end(self, pipe: Any, worker: str, call_id: str, entry: _Open) -> None:
        h = entry.key_hash
        outcome, t = entry.end or ("ok", self.now_ms())
        open_key = f"{PREFIX}open:{{{h}}}"
        pipe.zrem(open_key, call_id)
        pipe.pexpire(open_key, self._ttl_ms())
        pipe.zadd(PREFIX + "keys", {h: t})
        pipe.xadd(
            PREFIX + "events",
            {"e": "e", "k": h, "c": call_id, "t": t, "o": outcome, "w": worker},
            maxlen=EVENTS_MAXLEN,
            approximate=True,
        )

    def _cmd_reject(self, pipe: Any, worker: str, t: int, key_hash: str, limit_type: str) -> None:
        pipe.hincrby(f"{PREFIX}rejected:{{{key_hash}}}", limit_type, 1)
        pipe.xadd(
            PREFIX + "events",
            {"e": "r", "k": key_hash, "t": t, "y": limit_type, "w": worker},
            maxlen=EVENTS_MAXLEN,
            approximate=True,
        )

    def _heartbeat_json(self, now: int) -> str:
        return json.dumps(
            {"seen_ms": now, "version": HEARTBEAT_VERSION, "dropped": self.stats["dropped"], "started_ms": self.started_ms},
            separators=(",", ":"),
        )

    # -- Redis

    def _new_client(self) -> Any:
        if _aioredis is None:
            self.warn("redis_missing", "the redis package (redis.asyncio) is not importable; nothing is recorded")
            return None
        common = dict(
            socket_timeout=self._timeout_s,
            socket_connect_timeout=self._timeout_s,
            retry_on_timeout=False,
            health_check_interval=0,
        )
        if self._url:
            return _aioredis.from_url(self._url, **common)
        settings = redis_settings(self._env)
        if settings is None:
            self.warn(
                "redis_unconfigured",
                "no Redis configured (INFLIGHT_TRACKER_REDIS_URL, INFLIGHT_REDIS_URL, REDIS_URL or REDIS_HOST); nothing is recorded",
            )
            return None
        if "url" in settings:
            return _aioredis.from_url(settings["url"], **common)
        kwargs = dict(common, host=settings["host"], port=settings["port"], password=settings["password"])
        if settings.get("username"):
            kwargs["username"] = settings["username"]
        if settings.get("ssl"):
            kwargs["ssl"] = True
        return _aioredis.Redis(**kwargs)

    def _client(self) -> Any:
        """This event loop's client: redis.asyncio connections belong to one loop. Keyed by id (uvloop's
        loops may not take weak references); entries of closed loops are dropped."""
        loop = asyncio.get_running_loop()
        item = self._clients.get(id(loop))
        if item is not None and item[0] is loop:
            return item[1]
        for key, (other, _client) in list(self._clients.items()):
            if other is loop or other.is_closed():
                del self._clients[key]
        client = self._new_client()
        if client is not None:
            self._clients[id(loop)] = (loop, client)
        return client

    async def _write(self, builders: List[Callable[[Any, str, int], None]], n_events: int) -> bool:
        """One pipelined round trip (transaction=False) with the heartbeat piggy-backed when due.
        Shielded: a cancelled hook does not cut a round trip in half; the write completes in the
        background and the cancellation reaches the caller."""
        if time.monotonic() < self._down_until:
            self.stats["dropped"] += n_events
            return False
        try:
            client = self._client()
        except Exception as e:
            self.warn("redis_client", f"{type(e).__name__}: {e}")
            client = None
        if client is None:
            self.stats["dropped"] += n_events
            return False
        now = self.now_ms()
        worker = self.worker_id
        pipe = client.pipeline(transaction=False)
        for build in builders:
            build(pipe, worker, now)
        previous_heartbeat = self._last_heartbeat_ms
        heartbeat = previous_heartbeat is None or now - previous_heartbeat >= self._heartbeat_ms
        if heartbeat:
            self._last_heartbeat_ms = now  # claimed now so concurrent writes do not all carry it
            pipe.hset(PREFIX + "workers", worker, self._heartbeat_json(now))
        task = asyncio.get_running_loop().create_task(self._execute(pipe, n_events, heartbeat, previous_heartbeat))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(task)

    async def _execute(self, pipe: Any, n_events: int, heartbeat: bool, previous_heartbeat: Optional[int]) -> bool:
        ok = False
        try:
            results = await pipe.execute(raise_on_error=False)
            errors = [r for r in results if isinstance(r, Exception)]
            if errors:
                self.warn("redis_command", f"{type(errors[0]).__name__}: {errors[0]}")
            else:
                ok = True
                self._down_until = 0.0
                self.stats["pipelines"] += 1
        except Exception as e:
            self.warn("redis", f"{type(e).__name__}: {e}; events are dropped and counted until it answers")
            self._down_until = time.monotonic() + self._retry_after_s
            try:
                await pipe.reset()
            except Exception:
                pass
        if not ok:
            self.stats["dropped"] += n_events
            if heartbeat and self._last_heartbeat_ms is not None:
                self._last_heartbeat_ms = previous_heartbeat
        return ok

    def _prune_open(self) -> None:
        """Bound the in-process open calls: ends that never come (client gone before any chunk)."""
        oldest_ok = self.now_ms() - self.max_age_s * 1000
        while self._open:
            call_id, entry = next(iter(self._open.items()))
            if entry.start_ms >= oldest_ok and len(self._open) <= self._max_open:
                break
            self._open.popitem(last=False)

    def end_later(self, call_id: Optional[str], outcome: str) -> None:
        """For a closed or cancelled stream: write the end in a task of its own (the caller is being
        torn down, and an await there may be cancelled again)."""
        if not call_id:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        t = self.now_ms()

        async def run() -> None:
            try:
                await self.end(call_id, outcome, t)
            except Exception as e:
                self.warn("hook:stream_end", f"{type(e).__name__}: {e}")

        task = loop.create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for background writes (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        """Close this event loop's Redis client (tests, shutdown)."""
        await self.drain()
        try:
            loop = asyncio.get_running_loop()
            item = self._clients.get(id(loop))
            client = None
            if item is not None and item[0] is loop:
                client = self._clients.pop(id(loop))[1]
        except Exception:
            client = None
        if client is not None:
            try:
                await client.close()
                await client.connection_pool.disconnect()
            except Exception:
                pass


# --- The callback ---------------------------------------------------------------------------------


def _is_exception(value: Any) -> bool:
    return isinstance(value, BaseException)


def _is_auth(value: Any) -> bool:
    return value is not None and not isinstance(value, (Mapping, str, bytes, BaseException)) and (
        hasattr(value, "api_key") or hasattr(value, "token")
    )


def _is_aiter(value: Any) -> bool:
    return value is not None and hasattr(value, "__aiter__")


class InflightTracker(_CustomLoggerBase):  # type: ignore[misc,valid-type]
    """The LiteLLM CustomLogger. Hooks pick their arguments by name or position themselves."""

    def __init__(self, tracker: Optional[Tracker] = None, **kwargs: Any) -> None:
        try:
            super().__init__(**kwargs)
        except Exception:
            pass
        self.tracker = tracker if tracker is not None else Tracker()
        if _base_import_error is not None:
            self.tracker.warn("litellm_import", f"litellm's CustomLogger could not be imported: {_base_import_error!r}")

    def __copy__(self) -> "InflightTracker":
        return self  # shared state (locks, clients) must not be copied

    def __deepcopy__(self, memo: Any) -> "InflightTracker":
        return self

    def _failed(self, hook: str, e: BaseException) -> None:
        try:
            self.tracker.warn(f"hook:{hook}", f"{type(e).__name__}: {e}")
        except Exception:
            pass

    # start ----------------------------------------------------------------------------------------

    async def async_pre_call_deployment_hook(self, *args: Any, **kwargs: Any) -> None:
        """(kwargs, call_type): awaited once per upstream attempt, after the limiter. Start."""
        try:
            if self.tracker.disabled():
                return None
            call = _pick(args, kwargs, "kwargs", 0, _is_mapping)
            if call is None:
                return None
            await self.tracker.start(call_id_from(call), key_hash_from_call(call))
        except Exception as e:
            self._failed("async_pre_call_deployment_hook", e)
        return None  # never modify the request

    # ends -----------------------------------------------------------------------------------------

    async def async_post_call_success_hook(self, *args: Any, **kwargs: Any) -> None:
        """(data, user_api_key_dict, response): awaited in the request path, non-streaming. End ok."""
        try:
            if self.tracker.disabled():
                return None
            data = _pick(args, kwargs, "data", 0, _is_mapping)
            if data is None:
                return None
            response = kwargs.get("response", args[2] if len(args) > 2 else None)
            if _is_streaming(data, response):
                return None  # the stream wrapper ends it when the stream does
            await self.tracker.end(call_id_from(data), "ok")
        except Exception as e:
            self._failed("async_post_call_success_hook", e)
        return None  # never replace the response

    async def async_post_call_failure_hook(self, *args: Any, **kwargs: Any) -> None:
        """(request_data, original_exception, user_api_key_dict, traceback_str=None): awaited once per
        failed request. End error (cancelled for a 499), or a limiter rejection for a call that never
        started."""
        try:
            if self.tracker.disabled():
                return None
            data = _pick(args, kwargs, "request_data", 0, _is_mapping)
            exc = _pick(args, kwargs, "original_exception", 1, _is_exception)
            call_id = call_id_from(data)
            if self.tracker.is_open(call_id):
                # It reached upstream: any 429 here is upstream's (the proxy's limiter runs earlier).
                await self.tracker.end(call_id, "cancelled" if _client_gone(exc) else "error")
                return None
            if self.tracker.has_ended(call_id):
                return None  # a repeat (e.g. after the stream wrapper saw the error)
            limit_type = limiter_limit_type(exc)
            if limit_type is not None:
                auth = _pick(args, kwargs, "user_api_key_dict", 2, _is_auth)
                await self.tracker.reject(key_hash_from_auth(auth) or key_hash_from_call(data), limit_type)
        except Exception as e:
            self._failed("async_post_call_failure_hook", e)
        return None  # never transform the error

    async def async_post_call_streaming_iterator_hook(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        """(user_api_key_dict, response, request_data): wraps the stream. Chunks pass through
        untouched; exhausted -> ok, upstream error -> error, closed or cancelled -> cancelled."""
        response = _pick(args, kwargs, "response", 1, _is_aiter)
        if response is None:
            return
        call_id = None
        try:
            if not self.tracker.disabled():
                call_id = call_id_from(_pick(args, kwargs, "request_data", 2, _is_mapping))
        except Exception as e:
            self._failed("async_post_call_streaming_iterator_hook", e)
        if call_id is None:
            async for item in response:
                yield item
            return
        try:
            async for item in response:
                yield item
        except (GeneratorExit, asyncio.CancelledError):
            self._end_later(call_id, "cancelled")
            raise
        except Exception:
            await self._end_now(call_id, "error")
            raise
        await self._end_now(call_id, "ok")

    async def _end_now(self, call_id: str, outcome: str) -> None:
        try:
            await self.tracker.end(call_id, outcome)
        except Exception as e:
            self._failed("async_post_call_streaming_iterator_hook", e)

    def _end_later(self, call_id: str, outcome: str) -> None:
        try:
            self.tracker.end_later(call_id, outcome)
        except Exception as e:
            self._failed("async_post_call_streaming_iterator_hook", e)

    async def async_log_success_event(self, *args: Any, **kwargs: Any) -> None:
        """(kwargs, response_obj, start_time, end_time): background queue, may be dropped and stamps
        streaming ends late. A backstop: ends a call no awaited signal ended."""
        try:
            if self.tracker.disabled():
                return None
            call = _pick(args, kwargs, "kwargs", 0, _is_mapping)
            if call is None:
                return None
            end_time = kwargs.get("end_time", args[3] if len(args) > 3 else None)
            outcome = "cancelled" if _disconnected_success(call) else "ok"
            await self.tracker.end(call_id_from(call), outcome, _to_ms(end_time))
        except Exception as e:
            self._failed("async_log_success_event", e)
        return None

    async def async_log_failure_event(self, *args: Any, **kwargs: Any) -> None:
        """(kwargs, response_obj, start_time, end_time): deliberately not an end. The proxy passes one
        logging object to every attempt of a request, so this fires once, at the first failed
        attempt, while router retries and fallbacks may still run (and succeed). It also fires for
        limiter 429s, which async_post_call_failure_hook counts. The final failure is
        async_post_call_failure_hook's."""
        return None


proxy_handler_instance = InflightTracker()
