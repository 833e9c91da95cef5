"""Connectors and trusts for the cross-cloud edges of ``components.edges``.

Each module implements one edge and exposes ``IMPLEMENTATION``, an
``EdgeImplementation`` (factory and declared physical names); the registry
imports a module only when a stack uses its edge.
"""
