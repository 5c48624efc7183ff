"""Stand-in for litellm.integrations.custom_logger.CustomLogger: the base the callback subclasses.

LiteLLM's real base defines every hook as a no-op with a fixed signature; the proxy only calls hooks
on instances of it (and the stream iterator hook only when a subclass defines it itself)."""


class CustomLogger:
    def __init__(self, message_logging: bool = True, **kwargs) -> None:
        self.message_logging = message_logging
