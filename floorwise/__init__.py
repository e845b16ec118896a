"""The `floorwise` command-line entry point (see `floorwise.cli`)."""
