"""The exceptions Floorwise raises on purpose. Each message says how to fix it.

The CLI turns a `FloorwiseError` into one line on stderr and a non-zero exit;
the UI shows the message to the user.
"""


class FloorwiseError(Exception):
    """Base class: an expected failure with an actionable message."""

    exit_code = 1


class ConfigError(FloorwiseError):
    exit_code = 2


class ModelNotAvailable(FloorwiseError):
    exit_code = 3


class StoreBusy(FloorwiseError):
    """The store folder is held by another process that cannot be reached."""

    exit_code = 4


class StoreError(FloorwiseError):
    exit_code = 5


class UnsupportedDocument(FloorwiseError):
    """A file Floorwise cannot ingest: wrong type, corrupt, empty, encrypted, too big."""


class GenerationError(FloorwiseError):
    exit_code = 6
