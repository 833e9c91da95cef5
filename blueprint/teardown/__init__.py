"""Teardown after learning: the lease, the sweep for leftovers, and a destroy that finishes."""
