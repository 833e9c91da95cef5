"""The blueprint CrossGuard policy pack: rules, their catalogue and the pack config.

``policies/__main__.py`` builds the ``PolicyPack`` (which starts a server and
never returns); everything else here is importable without side effects, so
the tests and the offline runner (``blueprint.policy_check``) use the same
rules the Pulumi CLI runs.
"""
