"""Test stand-in for the `litellm` package (it cannot be installed here): only what the callback imports."""
