"""The callback against a real redis-server, driven the way LiteLLM's proxy drives a CustomLogger
(`/work/shared/litellm-reference.md` §11, checked against LiteLLM's source): which hooks fire, in
which order, with which arguments, for each scenario."""

import asyncio
import copy
import gc
import inspect
import json
import socket
import time

import pytest

import inflight_tracker as it
from standin import (
    DualCache,
    HTTPException,
    ModelResponse,
    UpstreamError,
    UserAPIKeyAuth,
    deployment_kwargs,
    key_hash,
    limiter_429,
    limiter_detail,
    log_kwargs,
    request_data,
    upstream,
)
from litellm.integrations.custom_logger import CustomLogger  # the stand-in base

P = it.PREFIX
H = key_hash("alpha")
H2 = key_hash("beta")
AUTH = UserAPIKeyAuth(api_key=H)
T0 = 1_800_000_000_000


class Clock:
    def __init__(self, t=T0):
        self.t = t

    def __call__(self):
        return self.t

    def advance(self, ms):
        self.t += ms


def make(url, env=None, clock=None, **kw):
    tracker = it.Tracker(url=url, env=env if env is not None else {}, clock_ms=clock, **kw)
    return it.InflightTracker(tracker)


def go(cb, scenario):
    async def main():
        try:
            return await scenario()
        finally:
            await cb.tracker.aclose()

    return asyncio.run(main())


def events(r):
    return [fields for _id, fields in r.xrange(P + "events")]


def kinds(r):
    return [(e["e"], e.get("c"), e.get("o") or e.get("y")) for e in events(r)]


def open_set(r, h=H):
    return r.zrange(f"{P}open:{{{h}}}", 0, -1, withscores=True)


async def collect(agen):
    return [item async for item in agen]


# --- wiring -----------------------------------------------------------------------------------------


def test_instance_is_a_custom_logger_with_its_own_stream_hook():
    inst = it.proxy_handler_instance
    assert isinstance(inst, CustomLogger)
    # The proxy wraps the stream only for callbacks that define the hook on their own class.
    assert "async_post_call_streaming_iterator_hook" in type(inst).__dict__
    assert inspect.isasyncgenfunction(type(inst).async_post_call_streaming_iterator_hook)
    # It must not define async_pre_call_hook (the proxy would run it, before the limiter).
    assert "async_pre_call_hook" not in type(inst).__dict__
    assert copy.deepcopy(inst) is inst and copy.copy(inst) is inst


def test_redis_settings_precedence():
    env = {"REDIS_HOST": "h", "REDIS_PORT": "6380", "REDIS_PASSWORD": "pw", "REDIS_SSL": "True"}
    assert it.redis_settings(env) == {"host": "h", "port": 6380, "password": "pw", "username": None, "ssl": True, "source": "REDIS_HOST"}
    env["REDIS_URL"] = "redis://c"
    assert it.redis_settings(env)["url"] == "redis://c"
    env["INFLIGHT_REDIS_URL"] = "redis://b"
    assert it.redis_settings(env)["url"] == "redis://b"
    env["INFLIGHT_TRACKER_REDIS_URL"] = "redis://a"
    assert it.redis_settings(env)["url"] == "redis://a"
    assert it.redis_settings({}) is None


def test_redis_from_litellm_host_port_env(redis_server, r):
    cb = it.InflightTracker(it.Tracker(env={"REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis_server.port)}))

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("c1", H), "acompletion")

    go(cb, scenario)
    assert kinds(r) == [("s", "c1", None)]


def test_module_instance_reads_the_environment(redis_server, r, monkeypatch):
    monkeypatch.setenv("INFLIGHT_TRACKER_REDIS_URL", redis_server.url)
    cb = it.proxy_handler_instance

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("env-1", H), "acompletion")
        await cb.async_post_call_success_hook(data=request_data("env-1", H), user_api_key_dict=AUTH, response=ModelResponse())

    go(cb, scenario)
    assert kinds(r) == [("s", "env-1", None), ("e", "env-1", "ok")]


# --- scenarios (§11) --------------------------------------------------------------------------------


def test_non_streaming_success(redis_server, r, trips):
    """§11.4: deployment hook per attempt → upstream → async_log_success_event in the background,
    racing the awaited async_post_call_success_hook."""
    clock = Clock()
    cb = make(redis_server.url, clock=clock)

    async def scenario():
        assert await cb.async_pre_call_deployment_hook(deployment_kwargs("c1", H), "acompletion") is None
        assert open_set(r) == [("c1", float(T0))]
        clock.advance(1500)
        assert await cb.async_post_call_success_hook(data=request_data("c1", H), user_api_key_dict=AUTH, response=ModelResponse()) is None
        await cb.async_log_success_event(log_kwargs("c1", H), ModelResponse(), None, None)  # the background repeat

    go(cb, scenario)
    assert open_set(r) == []
    assert events(r)[0] == {"e": "s", "k": H, "c": "c1", "t": str(T0), "w": cb.tracker.worker_id}
    assert events(r)[1] == {"e": "e", "k": H, "c": "c1", "t": str(T0 + 1500), "o": "ok", "w": cb.tracker.worker_id}
    assert len(events(r)) == 2
    assert r.zscore(P + "keys", H) == T0 + 1500
    assert trips.count == 2


def test_streaming_success(redis_server, r, trips):
    """§11.5: no async_post_call_success_hook; the proxy wraps the stream through every callback's
    iterator hook (by keyword); async_log_success_event follows, late."""
    clock = Clock()
    cb = make(redis_server.url, clock=clock)
    chunks = [{"i": 0}, {"i": 1}, {"i": 2}]

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("s1", H), "acompletion")
        wrapped = cb.async_post_call_streaming_iterator_hook(
            user_api_key_dict=AUTH, response=upstream(chunks), request_data=request_data("s1", H, stream=True)
        )
        got = [await wrapped.__anext__()]
        assert open_set(r) == [("s1", float(T0))]  # in flight while streaming
        clock.advance(2000)
        got += [c async for c in wrapped]
        assert got == chunks  # untouched, same objects
        assert all(a is b for a, b in zip(got, chunks))
        clock.advance(700)
        await cb.async_log_success_event(log_kwargs("s1", H), None, None, None)

    go(cb, scenario)
    assert open_set(r) == []
    assert kinds(r) == [("s", "s1", None), ("e", "s1", "ok")]
    assert events(r)[1]["t"] == str(T0 + 2000)  # the wrapper's end, not the late background one
    assert trips.count == 2


def test_streaming_cancelled_mid_way_by_close(redis_server, r):
    """The client goes away mid-stream: the proxy's generator chain is closed (aclose, or at GC)."""
    cb = make(redis_server.url)

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("s2", H), "acompletion")
        wrapped = cb.async_post_call_streaming_iterator_hook(AUTH, upstream([1, 2, 3]), request_data("s2", H, stream=True))
        assert await wrapped.__anext__() == 1
        await wrapped.aclose()
        await cb.tracker.drain()

    go(cb, scenario)
    assert kinds(r) == [("s", "s2", None), ("e", "s2", "cancelled")]
    assert open_set(r) == []


def test_streaming_cancelled_while_waiting_for_upstream(redis_server, r):
    cb = make(redis_server.url)

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("s3", H), "acompletion")
        wrapped = cb.async_post_call_streaming_iterator_hook(AUTH, upstream([1, 2, 3], hang_at=1), request_data("s3", H, stream=True))
        got = []

        async def consume():
            async for c in wrapped:
                got.append(c)

        task = asyncio.ensure_future(consume())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await cb.tracker.drain()
        assert got == [1]

    go(cb, scenario)
    assert kinds(r) == [("s", "s3", None), ("e", "s3", "cancelled")]


def test_streaming_upstream_error_mid_stream(redis_server, r):
    """An upstream error mid-stream passes through unchanged; the proxy then calls
    async_post_call_failure_hook, a repeat."""
    cb = make(redis_server.url)

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("s4", H), "acompletion")
        data = request_data("s4", H, stream=True)
        wrapped = cb.async_post_call_streaming_iterator_hook(AUTH, upstream([1, 2, 3], fail_at=2), data)
        got = []
        with pytest.raises(UpstreamError):
            async for c in wrapped:
                got.append(c)
        assert got == [1, 2]
        await cb.async_post_call_failure_hook(data, UpstreamError(500, "upstream broke mid-stream"), AUTH)

    go(cb, scenario)
    assert kinds(r) == [("s", "s4", None), ("e", "s4", "error")]


@pytest.mark.parametrize(
    "exc, limit_type",
    [
        (limiter_429(H, "max_parallel_requests"), "max_parallel_requests"),  # era C: message and header
        (limiter_429(H, "requests", header=False), "rpm"),  # message only
        (HTTPException(429, "Rate limit exceeded", headers={"rate_limit_type": "tokens"}), "tpm"),  # header only
        (HTTPException(429, "Crossed TPM / RPM Limit. Limit type: tpm."), "tpm"),  # legacy wording
        (HTTPException(429, limiter_detail(H, "max_parallel_requests", descriptor="team")), "max_parallel_requests"),
        (HTTPException(429, limiter_detail(H, "something_new")), "other"),
    ],
)
def test_limiter_429_is_a_rejection_never_a_start(redis_server, r, trips, exc, limit_type):
    """§11.6: the limiter rejects in the proxy's pre-call step, before any deployment hook; the proxy-only
    error path then awaits async_log_failure_event (with a fresh call id) and async_post_call_failure_hook."""
    cb = make(redis_server.url)

    async def scenario():
        data = request_data("rej-1", H)
        await cb.async_log_failure_event(log_kwargs("rej-1", H), exc, None, None)
        await cb.async_post_call_failure_hook(request_data=data, original_exception=exc, user_api_key_dict=AUTH, traceback_str="")

    go(cb, scenario)
    assert r.hgetall(f"{P}rejected:{{{H}}}") == {limit_type: "1"}
    assert [(e["e"], e["y"]) for e in events(r)] == [("r", limit_type)]
    assert set(events(r)[0]) == {"e", "k", "t", "y", "w"}
    assert r.exists(f"{P}open:{{{H}}}") == 0 and r.exists(P + "keys") == 0
    assert trips.count == 1


def test_other_429s_are_not_rejections(redis_server, r):
    cb = make(redis_server.url)

    async def scenario():
        # a budget 429 from the proxy (no "Limit type", no rate_limit_type header): nothing to record
        await cb.async_post_call_failure_hook(request_data("b-1", H), HTTPException(429, "Budget has been exceeded!"), AUTH)
        # an upstream 429 for a request that went upstream (another LiteLLM's limiter, say): its end, as an error
        await cb.async_pre_call_deployment_hook(deployment_kwargs("u-1", H), "acompletion")
        await cb.async_post_call_failure_hook(request_data("u-1", H), UpstreamError(429, limiter_detail(H, "tokens")), AUTH)
        # the same after the stream wrapper already ended it
        await cb.async_pre_call_deployment_hook(deployment_kwargs("u-2", H), "acompletion")
        data = request_data("u-2", H, stream=True)
        with pytest.raises(UpstreamError):
            await collect(cb.async_post_call_streaming_iterator_hook(AUTH, upstream([1], fail_at=0), data))
        await cb.async_post_call_failure_hook(data, UpstreamError(429, limiter_detail(H, "tokens")), AUTH)

    go(cb, scenario)
    assert kinds(r) == [("s", "u-1", None), ("e", "u-1", "error"), ("s", "u-2", None), ("e", "u-2", "error")]
    assert r.exists(f"{P}rejected:{{{H}}}") == 0


def test_upstream_error_after_retries(redis_server, r, trips):
    """§11.7: a deployment hook per attempt; async_log_failure_event only at the first failed attempt
    (the proxy passes one logging object to every attempt); async_post_call_failure_hook at the end."""
    clock = Clock()
    cb = make(redis_server.url, clock=clock)

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("r1", H, attempt=1), "acompletion")
        clock.advance(100)
        await cb.async_log_failure_event(log_kwargs("r1", H), UpstreamError(503, "overloaded"), None, None)
        assert open_set(r) == [("r1", float(T0))]  # still in flight: the router retries
        for attempt in (2, 3):
            clock.advance(1000)
            before = trips.count
            await cb.async_pre_call_deployment_hook(deployment_kwargs("r1", H, attempt=attempt), "acompletion")
            assert trips.count == before  # a repeat start costs no round trip
        clock.advance(100)
        await cb.async_post_call_failure_hook(request_data("r1", H), UpstreamError(503, "overloaded"), AUTH)

    go(cb, scenario)
    assert kinds(r) == [("s", "r1", None), ("e", "r1", "error")]
    assert events(r)[1]["t"] == str(T0 + 2200)
    assert open_set(r) == []
    assert trips.count == 2


def test_retry_that_succeeds_after_a_failed_attempt(redis_server, r):
    cb = make(redis_server.url)

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("r2", H, attempt=1), "acompletion")
        await cb.async_log_failure_event(log_kwargs("r2", H), UpstreamError(500, "boom"), None, None)
        await cb.async_pre_call_deployment_hook(deployment_kwargs("r2", H, attempt=2), "acompletion")
        await cb.async_post_call_success_hook(request_data("r2", H), AUTH, ModelResponse())

    go(cb, scenario)
    assert kinds(r) == [("s", "r2", None), ("e", "r2", "ok")]


def test_disconnect_before_any_chunk_leaves_the_request_open(redis_server, r):
    """§11.8: nothing had streamed, so no callback gets an end; the open member stays for Inflight to
    prune after the max age (and count as a lost end)."""
    cb = make(redis_server.url)

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("d1", H), "acompletion")
        wrapped = cb.async_post_call_streaming_iterator_hook(AUTH, upstream([1]), request_data("d1", H, stream=True))
        del wrapped  # never iterated
        gc.collect()
        await cb.tracker.drain()

    go(cb, scenario)
    assert kinds(r) == [("s", "d1", None)]
    assert [m for m, _ in open_set(r)] == ["d1"]
    ttl = r.pttl(f"{P}open:{{{H}}}")
    assert 2 * 1800 * 1000 - 60_000 < ttl <= 2 * 1800 * 1000


def test_v1_messages_key_hash_under_litellm_metadata(redis_server, r):
    """§11.9: /v1/messages and /responses keep the key under `litellm_metadata` (LiteLLM #27955);
    streaming SSE bytes pass through untouched."""
    cb = make(redis_server.url)
    sse = [b"event: message_start\ndata: {}\n\n", b"event: message_stop\ndata: {}\n\n"]

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("m1", H2, metadata_field="litellm_metadata"), "anthropic_messages")
        data = request_data("m1", H2, stream=True, metadata_field="litellm_metadata")
        out = await collect(cb.async_post_call_streaming_iterator_hook(user_api_key_dict=None, response=upstream(sse), request_data=data))
        assert out == sse
        await cb.async_log_success_event(log_kwargs("m1", H2, metadata_field="litellm_metadata", slo=False), None, None, None)
        # a non-streaming /responses call, found by the same route
        await cb.async_pre_call_deployment_hook(deployment_kwargs("m2", H2, metadata_field="litellm_metadata"), "aresponses")
        await cb.async_post_call_success_hook(request_data("m2", H2, metadata_field="litellm_metadata"), UserAPIKeyAuth(H2), ModelResponse())

    go(cb, scenario)
    assert kinds(r) == [("s", "m1", None), ("e", "m1", "ok"), ("s", "m2", None), ("e", "m2", "ok")]
    assert {e["k"] for e in events(r)} == {H2}


def test_dropped_background_success_event(redis_server, r):
    """§11.11: the background logging queue drops silently when full: the awaited hook ends it."""
    cb = make(redis_server.url)

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("q1", H), "acompletion")
        await cb.async_post_call_success_hook(request_data("q1", H), AUTH, ModelResponse())
        # no async_log_success_event at all

    go(cb, scenario)
    assert kinds(r) == [("s", "q1", None), ("e", "q1", "ok")]
    assert open_set(r) == []


def test_background_success_event_first_then_awaited_hook(redis_server, r, trips):
    """§11.4: the background event may win the race; the awaited hook is then a repeat."""
    cb = make(redis_server.url)

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("q2", H), "acompletion")
        await cb.async_log_success_event(log_kwargs("q2", H), ModelResponse(), None, None)
        before = trips.count
        await cb.async_post_call_success_hook(request_data("q2", H), AUTH, ModelResponse())
        assert trips.count == before

    go(cb, scenario)
    assert kinds(r) == [("s", "q2", None), ("e", "q2", "ok")]


def test_concurrent_end_signals_write_one_end(redis_server, r):
    cb = make(redis_server.url)

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("q3", H), "acompletion")
        await asyncio.gather(
            cb.async_post_call_success_hook(request_data("q3", H), AUTH, ModelResponse()),
            cb.async_log_success_event(log_kwargs("q3", H), ModelResponse(), None, None),
        )

    go(cb, scenario)
    assert kinds(r) == [("s", "q3", None), ("e", "q3", "ok")]


def test_late_success_event_and_late_start_after_the_end(redis_server, r, trips):
    cb = make(redis_server.url)

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("l1", H), "acompletion")
        await cb.async_post_call_success_hook(request_data("l1", H), AUTH, ModelResponse())
        before = trips.count
        await cb.async_log_success_event(log_kwargs("l1", H), ModelResponse(), None, None)
        await cb.async_pre_call_deployment_hook(deployment_kwargs("l1", H), "acompletion")
        await cb.async_post_call_failure_hook(request_data("l1", H), UpstreamError(500, "x"), AUTH)
        assert trips.count == before

    go(cb, scenario)
    assert kinds(r) == [("s", "l1", None), ("e", "l1", "ok")]
    assert open_set(r) == []
    assert cb.tracker.stats["late_start"] == 1


def test_success_hook_on_a_stream_leaves_the_end_to_the_wrapper(redis_server, r):
    cb = make(redis_server.url)

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("w1", H), "acompletion")
        data = request_data("w1", H, stream=True)
        await cb.async_post_call_success_hook(data, AUTH, upstream([1]))
        assert [m for m, _ in open_set(r)] == ["w1"]
        await collect(cb.async_post_call_streaming_iterator_hook(AUTH, upstream([1]), data))

    go(cb, scenario)
    assert kinds(r) == [("s", "w1", None), ("e", "w1", "ok")]


def test_client_disconnect_499_and_partial_stream_success(redis_server, r):
    cb = make(redis_server.url)

    async def scenario():
        # cancel_on_disconnect: a non-streaming disconnect fails with 499 through the failure hook
        await cb.async_pre_call_deployment_hook(deployment_kwargs("x1", H), "acompletion")
        await cb.async_post_call_failure_hook(request_data("x1", H), HTTPException(499, "Client disconnected"), AUTH)
        # a partial stream logged as a success with client_disconnected, when no wrapper end came
        await cb.async_pre_call_deployment_hook(deployment_kwargs("x2", H), "acompletion")
        kw = log_kwargs("x2", H)
        kw["standard_logging_object"]["metadata"]["client_disconnected"] = True
        await cb.async_log_success_event(kw, None, None, None)

    go(cb, scenario)
    assert kinds(r) == [("s", "x1", None), ("e", "x1", "cancelled"), ("s", "x2", None), ("e", "x2", "cancelled")]


def test_request_without_key_hash_is_skipped_and_counted(redis_server, r, trips):
    cb = make(redis_server.url)

    async def scenario():
        kw = deployment_kwargs("n1", H)
        kw["metadata"] = {"user_api_key_alias": "no hash here"}
        await cb.async_pre_call_deployment_hook(kw, "acompletion")
        await cb.async_post_call_success_hook(request_data("n1", H), AUTH, ModelResponse())
        await cb.async_pre_call_deployment_hook({"model": "x", "metadata": {"user_api_key_hash": H}}, "acompletion")  # no call id

    go(cb, scenario)
    assert events(r) == [] and trips.count == 0
    assert cb.tracker.stats["no_key"] == 1 and cb.tracker.stats["no_call_id"] == 1


def test_raw_key_and_other_hash_locations():
    assert it.key_hash_from_auth(UserAPIKeyAuth(api_key="sk-alpha")) == H
    assert it.key_hash_from_auth(UserAPIKeyAuth(api_key=None, token=H.upper())) == H
    assert it.key_hash_from_auth(UserAPIKeyAuth(api_key="not-a-key", token=None)) is None
    assert it.key_hash_from_call({"standard_logging_object": {"metadata": {"user_api_key_hash": H}}}) == H
    assert it.key_hash_from_call({"litellm_params": {"litellm_metadata": {"user_api_key_hash": H}}}) == H
    assert it.key_hash_from_call({"metadata": {"user_api_key": H}}) == H
    assert it.key_hash_from_call({"metadata": None, "litellm_metadata": "x"}) is None


# --- robustness -------------------------------------------------------------------------------------


def test_changed_hook_signatures_never_raise(redis_server, r):
    """Extra, missing, reordered or mistyped arguments: no exception, nothing returned, and the
    arguments that can still be found are used."""
    cb = make(redis_server.url)
    hooks = [
        cb.async_pre_call_deployment_hook,
        cb.async_post_call_success_hook,
        cb.async_post_call_failure_hook,
        cb.async_log_success_event,
        cb.async_log_failure_event,
    ]

    async def scenario():
        for hook in hooks:
            assert await hook() is None
            assert await hook(None, None, None, None, None, None, 1, "x", new_kwarg=object()) is None
            assert await hook(42, [], "s", kwargs=7, data="x", request_data=3, original_exception="no") is None
        # new keyword arguments and an extra positional one
        await cb.async_pre_call_deployment_hook(deployment_kwargs("g1", H), "acompletion", "extra", deployment={"x": 1})
        await cb.async_pre_call_deployment_hook(kwargs=deployment_kwargs("g2", H), call_type=None)
        await cb.async_pre_call_deployment_hook("acompletion", deployment_kwargs("g3", H))  # swapped
        # an older success-hook signature: (user_api_key_dict, cache, data, response)
        await cb.async_post_call_success_hook(AUTH, DualCache(), request_data("g1", H), ModelResponse())
        await cb.async_post_call_success_hook(data=request_data("g2", H), user_api_key_dict=AUTH, response=None, request_headers={}, litellm_call_info={})
        await cb.async_post_call_failure_hook(
            original_exception=UpstreamError(500, "x"), request_data=request_data("g3", H), user_api_key_dict=AUTH, traceback_str="tb", error_type=None, route="/x"
        )
        # the stream hook: extra arguments, no request data (pass-through), no response (nothing)
        out = await collect(cb.async_post_call_streaming_iterator_hook(AUTH, upstream([1, 2]), request_data("g4", H), "extra", more=1))
        assert out == [1, 2]
        assert await collect(cb.async_post_call_streaming_iterator_hook(response=upstream([3]))) == [3]
        assert await collect(cb.async_post_call_streaming_iterator_hook()) == []
        assert await collect(cb.async_post_call_streaming_iterator_hook(AUTH, None, None)) == []

    go(cb, scenario)
    assert sorted(kinds(r)) == sorted([("s", c, None) for c in ("g1", "g2", "g3")] + [("e", "g1", "ok"), ("e", "g2", "ok"), ("e", "g3", "error")])


def test_a_failing_tracker_never_raises_into_the_proxy(redis_server, caplog):
    cb = make(redis_server.url)

    async def boom(*a, **k):
        raise RuntimeError("tracker bug")

    cb.tracker.start = boom
    cb.tracker.end = boom

    async def scenario():
        for _ in range(3):
            assert await cb.async_pre_call_deployment_hook(deployment_kwargs("f1", H), "acompletion") is None
            assert await cb.async_post_call_success_hook(request_data("f1", H), AUTH, ModelResponse()) is None
            assert await collect(cb.async_post_call_streaming_iterator_hook(AUTH, upstream([1]), request_data("f1", H, stream=True))) == [1]

    with caplog.at_level("WARNING", logger="inflight_tracker"):
        go(cb, scenario)
    # one warning per kind of failure, not one per call
    assert len([rec for rec in caplog.records if "async_pre_call_deployment_hook" in rec.getMessage()]) == 1
    assert len([rec for rec in caplog.records if "async_post_call_success_hook" in rec.getMessage()]) == 1


def test_kill_switch(redis_server, r, trips, monkeypatch):
    cb = make(redis_server.url, env={"INFLIGHT_TRACKER_DISABLED": "1"})
    chunks = [object(), object()]

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("k1", H), "acompletion")
        await cb.async_post_call_success_hook(request_data("k1", H), AUTH, ModelResponse())
        out = await collect(cb.async_post_call_streaming_iterator_hook(AUTH, upstream(chunks), request_data("k1", H, stream=True)))
        assert out == chunks
        await cb.async_post_call_failure_hook(request_data("k2", H), limiter_429(H), AUTH)
        await cb.async_log_success_event(log_kwargs("k1", H), None, None, None)

    go(cb, scenario)
    assert trips.count == 0 and r.dbsize() == 0

    # the shipped instance, through the environment
    monkeypatch.setenv("INFLIGHT_TRACKER_DISABLED", "1")
    monkeypatch.setenv("INFLIGHT_TRACKER_REDIS_URL", redis_server.url)
    go(it.proxy_handler_instance, lambda: it.proxy_handler_instance.async_pre_call_deployment_hook(deployment_kwargs("k3", H), "acompletion"))
    assert trips.count == 0 and r.dbsize() == 0


def test_redis_down_drops_counts_and_reports_when_back(own_redis, trips):
    clock = Clock()
    cb = make(own_redis.url, clock=clock, retry_after_s=0)
    own_redis.stop()

    async def while_down():
        t = time.monotonic()
        await cb.async_pre_call_deployment_hook(deployment_kwargs("o1", H), "acompletion")
        clock.advance(300)
        await cb.async_post_call_success_hook(request_data("o1", H), AUTH, ModelResponse())
        await cb.async_post_call_failure_hook(request_data("o2", H), limiter_429(H), AUTH)
        assert time.monotonic() - t < 2

    go(cb, while_down)
    assert cb.tracker.stats["dropped"] == 3

    own_redis.start()
    r = own_redis.client()
    clock.advance(1000)

    async def when_back():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("o3", H), "acompletion")
        # the end that was dropped is still pending here: a later signal writes it, with its own time
        await cb.async_log_success_event(log_kwargs("o1", H), None, None, None)

    go(cb, when_back)
    heartbeat = json.loads(r.hget(P + "workers", cb.tracker.worker_id))
    assert heartbeat["dropped"] == 3
    assert heartbeat["seen_ms"] == T0 + 1300
    assert kinds(r) == [("s", "o3", None), ("e", "o1", "ok")]
    assert events(r)[1]["t"] == str(T0 + 300)
    r.close()


def test_a_dropped_start_is_written_by_the_next_attempt(own_redis):
    clock = Clock()
    cb = make(own_redis.url, clock=clock, retry_after_s=0)
    own_redis.stop()
    go(cb, lambda: cb.async_pre_call_deployment_hook(deployment_kwargs("a1", H, attempt=1), "acompletion"))
    own_redis.start()
    clock.advance(2000)
    go(cb, lambda: cb.async_pre_call_deployment_hook(deployment_kwargs("a1", H, attempt=2), "acompletion"))
    r = own_redis.client()
    assert open_set(r) == [("a1", float(T0))]  # the call's own start time
    assert kinds(r) == [("s", "a1", None)]
    r.close()


def test_redis_down_backs_off_without_a_round_trip_per_event(own_redis, trips):
    cb = make(own_redis.url, retry_after_s=60)
    own_redis.stop()

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("b1", H), "acompletion")
        attempts = len(trips.pipelines)
        for i in range(5):
            await cb.async_pre_call_deployment_hook(deployment_kwargs(f"b{i + 2}", H), "acompletion")
        assert len(trips.pipelines) == attempts

    go(cb, scenario)
    assert cb.tracker.stats["dropped"] == 6


def test_unresponsive_redis_times_out_quickly(trips):
    """A Redis that accepts connections but never answers: the short socket timeout bounds the wait."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        port = listener.getsockname()[1]
        cb = make(f"redis://127.0.0.1:{port}/0")

        async def scenario():
            t = time.monotonic()
            await cb.async_pre_call_deployment_hook(deployment_kwargs("z1", H), "acompletion")
            return time.monotonic() - t

        elapsed = go(cb, scenario)
    assert elapsed < 1.5
    assert cb.tracker.stats["dropped"] == 1


def test_no_redis_configured_drops_quietly():
    cb = it.InflightTracker(it.Tracker(env={}))

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("nr", H), "acompletion")

    go(cb, scenario)
    assert cb.tracker.stats["dropped"] == 1


# --- the layout, exactly ----------------------------------------------------------------------------


def test_written_keys_and_fields_match_the_layout(redis_server, r, trips):
    clock = Clock()
    cb = make(redis_server.url, clock=clock)
    w = cb.tracker.worker_id
    open_key = f"{P}open:{{{H}}}"

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("c1", H), "acompletion")
        clock.advance(10)
        await cb.async_post_call_success_hook(request_data("c1", H), AUTH, ModelResponse())
        clock.advance(10)
        await cb.async_post_call_failure_hook(request_data("c2", H), limiter_429(H), AUTH)

    go(cb, scenario)
    heartbeat = json.dumps({"seen_ms": T0, "version": it.HEARTBEAT_VERSION, "dropped": 0, "started_ms": T0}, separators=(",", ":"))
    xadd = ["XADD", P + "events", "MAXLEN", "~", "100000", "*"]
    assert trips.pipelines == [
        [
            ["ZADD", open_key, "NX", str(T0), "c1"],
            ["PEXPIRE", open_key, "3600000"],
            ["ZADD", P + "keys", str(T0), H],
            xadd + ["e", "s", "k", H, "c", "c1", "t", str(T0), "w", w],
            ["HSET", P + "workers", w, heartbeat],
        ],
        [
            ["ZREM", open_key, "c1"],
            ["PEXPIRE", open_key, "3600000"],
            ["ZADD", P + "keys", str(T0 + 10), H],
            xadd + ["e", "e", "k", H, "c", "c1", "t", str(T0 + 10), "o", "ok", "w", w],
        ],
        [
            ["HINCRBY", f"{P}rejected:{{{H}}}", "max_parallel_requests", "1"],
            xadd + ["e", "r", "k", H, "t", str(T0 + 20), "y", "max_parallel_requests", "w", w],
        ],
    ]
    assert trips.direct == []
    # Redis types, and nothing else written
    assert sorted(r.keys("*")) == sorted([P + "keys", P + "events", P + "workers", f"{P}rejected:{{{H}}}"])
    assert r.type(P + "keys") == "zset" and r.type(P + "events") == "stream"
    assert r.type(P + "workers") == "hash" and r.type(f"{P}rejected:{{{H}}}") == "hash"
    assert [list(e) for e in events(r)] == [["e", "k", "c", "t", "w"], ["e", "k", "c", "t", "o", "w"], ["e", "k", "t", "y", "w"]]
    assert set(json.loads(r.hget(P + "workers", w))) == {"seen_ms", "version", "dropped", "started_ms"}
    host, pid = w.rsplit(":", 1)
    assert host == socket.gethostname() and int(pid) > 0


def test_max_age_from_the_environment_sets_the_open_set_ttl(redis_server, r):
    cb = make(redis_server.url, env={"INFLIGHT_TRACKER_MAX_AGE_S": "60"})

    async def scenario():
        await cb.async_pre_call_deployment_hook(deployment_kwargs("a1", H), "acompletion")

    go(cb, scenario)
    assert 110_000 < r.pttl(f"{P}open:{{{H}}}") <= 120_000


def test_heartbeat_at_most_every_5_seconds_piggy_backed(redis_server, r, trips):
    clock = Clock()
    cb = make(redis_server.url, clock=clock)

    async def scenario():
        for i, step in enumerate((0, 1000, 3000, 1000, 100)):  # at 0, 1, 4, 5, 5.1 s
            clock.advance(step)
            await cb.async_pre_call_deployment_hook(deployment_kwargs(f"h{i}", H), "acompletion")

    go(cb, scenario)
    with_heartbeat = [any(cmd[0] == "HSET" for cmd in p) for p in trips.pipelines]
    assert with_heartbeat == [True, False, False, True, False]
    assert json.loads(r.hget(P + "workers", cb.tracker.worker_id))["seen_ms"] == T0 + 5000


def test_each_hook_awaits_at_most_one_round_trip(redis_server, r, trips):
    cb = make(redis_server.url)

    async def counted(awaitable):
        before = trips.count
        await awaitable
        return trips.count - before

    async def scenario():
        counts = [
            await counted(cb.async_pre_call_deployment_hook(deployment_kwargs("c1", H), "acompletion")),
            await counted(cb.async_pre_call_deployment_hook(deployment_kwargs("c1", H), "acompletion")),
            await counted(cb.async_post_call_success_hook(request_data("c1", H), AUTH, ModelResponse())),
            await counted(cb.async_log_success_event(log_kwargs("c1", H), None, None, None)),
            await counted(cb.async_pre_call_deployment_hook(deployment_kwargs("c2", H), "acompletion")),
            await counted(collect(cb.async_post_call_streaming_iterator_hook(AUTH, upstream([1, 2, 3]), request_data("c2", H, stream=True)))),
            await counted(cb.async_post_call_failure_hook(request_data("c3", H), limiter_429(H), AUTH)),
            await counted(cb.async_log_failure_event(log_kwargs("c3", H), limiter_429(H), None, None)),
        ]
        return counts

    assert go(cb, scenario) == [1, 0, 1, 0, 1, 1, 1, 0]
    assert trips.direct == []


def test_one_client_per_event_loop_and_closed_loops_are_dropped(redis_server, r):
    cb = make(redis_server.url)
    for i in range(3):  # each asyncio.run is a new loop; the previous one is closed
        asyncio.run(cb.async_pre_call_deployment_hook(deployment_kwargs(f"loop{i}", H), "acompletion"))
        assert len(cb.tracker._clients) == 1
    go(cb, lambda: cb.async_pre_call_deployment_hook(deployment_kwargs("loop3", H), "acompletion"))
    assert cb.tracker._clients == {}
    assert [c for _, c, _ in kinds(r)] == ["loop0", "loop1", "loop2", "loop3"]
