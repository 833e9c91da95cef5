"""Per-cloud entry points: each only names its cloud's raw format (the URIs come from the stack's outputs)."""
