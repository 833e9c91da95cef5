"""The operator tooling: the offline engine and the ``bp`` command line."""
