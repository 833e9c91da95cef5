"""Rule validators, one module per group of the catalogue (see ``policies/catalogue.py``)."""
