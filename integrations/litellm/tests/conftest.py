"""Fixtures: a real redis-server on a free 127.0.0.1 port, the LiteLLM stand-ins on the import path,
and a recorder of every Redis round trip the callback makes."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
# The stand-in `litellm` package first (so the callback subclasses its CustomLogger), then the module.
for path in (os.path.join(HERE, "stubs"), os.path.dirname(HERE), HERE):
    if path not in sys.path:
        sys.path.insert(0, path)

import redis  # noqa: E402  (python3-redis)
import redis.asyncio.client as aioclient  # noqa: E402


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A private redis-server: no persistence, bound to 127.0.0.1, stopped by the fixture."""

    def __init__(self) -> None:
        if shutil.which("redis-server") is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="inflight-tracker-redis-")
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=0.5).ping()
                return
            except redis.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}")
                time.sleep(0.02)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def client(self) -> "redis.Redis":
        return redis.Redis(host="127.0.0.1", port=self.port, decode_responses=True)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def r(redis_server):
    """A synchronous client on an empty database, for assertions."""
    client = redis_server.client()
    client.flushall()
    yield client
    client.close()


@pytest.fixture
def own_redis():
    """A server of the test's own, which it may stop and start again (same port)."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


class RoundTrips:
    """Every pipeline the callback executes (its command lists) and every non-pipelined command."""

    def __init__(self) -> None:
        self.pipelines = []
        self.direct = []

    @property
    def count(self) -> int:
        return len(self.pipelines) + len(self.direct)


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


@pytest.fixture
def trips(monkeypatch):
    rec = RoundTrips()
    execute = aioclient.Pipeline.execute
    direct = aioclient.Redis.execute_command

    async def counting_execute(self, raise_on_error=True):
        rec.pipelines.append([[_text(a) for a in args] for args, _options in self.command_stack])
        return await execute(self, raise_on_error)

    async def counting_direct(self, *args, **options):
        rec.direct.append([_text(a) for a in args])
        return await direct(self, *args, **options)

    monkeypatch.setattr(aioclient.Pipeline, "execute", counting_execute)
    monkeypatch.setattr(aioclient.Redis, "execute_command", counting_direct)
    return rec
