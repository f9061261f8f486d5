"""The ``worldorder`` command line."""
