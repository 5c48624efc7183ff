"""Minimal stand-ins for what LiteLLM's proxy hands a CustomLogger (shapes from LiteLLM's source:
`litellm/proxy/utils.py`, `litellm/utils.py` `async_pre_call_deployment_hook`,
`litellm/proxy/hooks/parallel_request_limiter_v3.py`, `litellm/proxy/common_utils/proxy_rate_limit_error.py`)."""

import hashlib


def key_hash(name: str) -> str:
    """LiteLLM's `user_api_key_hash` / `token`: SHA-256 hex of the raw key."""
    return hashlib.sha256(f"sk-{name}".encode()).hexdigest()


class UserAPIKeyAuth:
    """`user_api_key_dict` in proxy hooks: `.api_key` (and `.token`) hold the key's hash."""

    def __init__(self, api_key=None, token=None, **extra):
        self.api_key = api_key
        self.token = token if token is not None else api_key
        self.request_route = extra.pop("request_route", "/chat/completions")
        for k, v in extra.items():
            setattr(self, k, v)


class DualCache:
    """Only passed along by old-era hooks; never a mapping."""


class HTTPException(Exception):
    """fastapi.HTTPException's shape (era B limiter 429s are these)."""

    def __init__(self, status_code, detail=None, headers=None):
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail
        self.headers = headers


class ProxyRateLimitError(HTTPException):
    """Era C: litellm's ProxyRateLimitError (HTTPException + RateLimitError), status 429."""

    def __init__(self, detail, headers=None, rate_limit_type=None):
        super().__init__(429, detail, {k: str(v) for k, v in (headers or {}).items()} or None)
        self.message = detail
        self.rate_limit_type = rate_limit_type


class UpstreamError(Exception):
    """An upstream provider error after LiteLLM's exception mapping (e.g. litellm.RateLimitError)."""

    def __init__(self, status_code, message):
        super().__init__(message)
        self.status_code = status_code
        self.message = message


def limiter_detail(h: str, limit_type: str, descriptor: str = "api_key") -> str:
    return (
        f"Rate limit exceeded for {descriptor}: {h}. Limit type: {limit_type}. "
        "Current limit: 1, Remaining: 0. Limit resets at: 2026-12-02 10:00:00 UTC"
    )


def limiter_429(h: str, limit_type: str = "max_parallel_requests", header: bool = True) -> ProxyRateLimitError:
    headers = {"retry-after": 60, "rate_limit_type": limit_type, "reset_at": "2026-12-02 10:00:00 UTC"} if header else None
    return ProxyRateLimitError(limiter_detail(h, limit_type), headers=headers)


def request_data(call_id: str, h: str, *, stream: bool = False, metadata_field: str = "metadata") -> dict:
    """The proxy's `data` (`request_data`) after add_litellm_data_to_request."""
    data = {
        "model": "gpt-test",
        "messages": [{"role": "user", "content": "hi"}],
        "litellm_call_id": call_id,
        metadata_field: {"user_api_key_hash": h, "user_api_key": h, "user_api_key_alias": "alias"},
    }
    if stream:
        data["stream"] = True
    return data


def deployment_kwargs(call_id: str, h: str, *, metadata_field: str = "metadata", attempt: int = 1) -> dict:
    """What `litellm.utils.async_pre_call_deployment_hook` passes: the call's kwargs (a copy), after a
    deployment was picked; `/v1/messages` and `/responses` carry the key under `litellm_metadata`."""
    kwargs = {
        "model": "openai/gpt-test",
        "messages": [{"role": "user", "content": "hi"}],
        "litellm_call_id": call_id,
        metadata_field: {"user_api_key_hash": h, "model_group": "gpt-test", "deployment": f"dep-{attempt}"},
        "model_info": {"id": f"dep-{attempt}"},
    }
    if metadata_field == "litellm_metadata":
        kwargs["metadata"] = {"user_id": "client-side metadata, no key here"}  # LiteLLM #27955
    return kwargs


def log_kwargs(call_id: str, h: str, *, metadata_field: str = "metadata", slo: bool = True) -> dict:
    """`kwargs` of async_log_success_event / async_log_failure_event (model_call_details)."""
    kwargs = {
        "litellm_call_id": call_id,
        "litellm_params": {"litellm_call_id": call_id, metadata_field: {"user_api_key_hash": h}},
    }
    if slo:
        kwargs["standard_logging_object"] = {"id": "chatcmpl-response-id", "metadata": {"user_api_key_hash": h}}
    return kwargs


class ModelResponse:
    """A non-streaming response object (never async-iterable)."""

    def __init__(self, text="hello"):
        self.choices = [{"message": {"content": text}}]


async def upstream(chunks, fail_at=None, hang_at=None):
    """An upstream stream: yields chunks, may raise at `fail_at` or hang at `hang_at`."""
    import asyncio

    for i, chunk in enumerate(chunks):
        if fail_at == i:
            raise UpstreamError(500, "upstream broke mid-stream")
        if hang_at == i:
            await asyncio.sleep(3600)
        yield chunk
