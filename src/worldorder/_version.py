"""The package version (one place; imported by the manifest writers and the CLI)."""

__version__ = "0.1.0"
