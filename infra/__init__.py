"""The Pulumi program (``__main__.py``) and the per-cloud implementations of the stages."""
