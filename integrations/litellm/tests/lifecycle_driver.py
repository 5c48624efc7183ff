"""Drives the callback through a request lifecycle for the cross-language contract test
(tests/tracker/contract.test.ts): Inflight's TypeScript reader then reads what it wrote.
Usage: python3 lifecycle_driver.py <redis url> <key hash A> <key hash B>"""

import asyncio
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
for path in (os.path.join(HERE, "stubs"), os.path.dirname(HERE), HERE):
    sys.path.insert(0, path)

import inflight_tracker as it  # noqa: E402
from standin import UserAPIKeyAuth, deployment_kwargs, limiter_429, request_data  # noqa: E402


async def main(url: str, a: str, b: str) -> None:
    cb = it.InflightTracker(it.Tracker(url=url, env={}))
    try:
        # A: c1 and c2 start (c2 retried: its deployment hook twice), c1 ends; a limiter 429 on A.
        await cb.async_pre_call_deployment_hook(deployment_kwargs("c1", a), "acompletion")
        await cb.async_pre_call_deployment_hook(deployment_kwargs("c2", a), "acompletion")
        await cb.async_pre_call_deployment_hook(deployment_kwargs("c2", a, attempt=2), "acompletion")
        await cb.async_post_call_success_hook(data=request_data("c1", a), user_api_key_dict=UserAPIKeyAuth(api_key=a), response=object())
        await cb.async_post_call_failure_hook(request_data("r1", a), limiter_429(a), UserAPIKeyAuth(api_key=a))
        # B: /v1/messages (the key under litellm_metadata) starts and stays open.
        await cb.async_pre_call_deployment_hook(deployment_kwargs("m1", b, metadata_field="litellm_metadata"), "anthropic_messages")
    finally:
        await cb.tracker.aclose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
