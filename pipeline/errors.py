"""The error that stops a run before it starts (exit code 2, one line)."""


class ConfigError(ValueError):
    """A bad flag, input or environment found before the pipeline starts."""
