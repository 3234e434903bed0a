"""One exception family, so the CLI can turn any of them into ``Error: ...`` and exit 1.

Messages name the file, row or key, what was expected, what was found and how to fix it.
"""

from __future__ import annotations


class VoicelineError(Exception):
    """Base class for every error voiceline raises on purpose (bad input, bad config)."""

    exit_code = 1


class InputError(VoicelineError):
    """A source file cannot be read or does not have what the mapping says it has."""


class ConfigError(VoicelineError):
    """A pipeline config, mapping or gazetteer file is invalid.

    ``problems`` lists every problem found, so the user can fix them all at once.
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems or [])
        if self.problems:
            message = message + "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(message)


class SchemaError(VoicelineError):
    """A table handed to a stage lacks columns the stage needs, or has bad values."""


class ModelError(VoicelineError):
    """A bundled model is missing, altered (hash mismatch) or from another version."""


class NotAvailableError(VoicelineError):
    """A command whose stage has not landed yet."""


class StoreError(VoicelineError):
    """The trend store cannot be reached, or its tables were made by another version."""


class StoreUnavailableError(StoreError):
    """The trend store's server cannot be reached now: a scheduler may retry later (exit 4)."""

    exit_code = 4


class RunLockedError(VoicelineError):
    """Another run of the same job holds its lock: a scheduler may retry later (exit 3)."""

    exit_code = 3
