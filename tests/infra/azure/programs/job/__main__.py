"""A program exporting only the Azure job settings, for their tests."""

import pulumi

from infra.azure.job import job_exports

pulumi.export("learning", job_exports(account="lakeacct", production=False, workspace="ws", pool="spark"))
pulumi.export("production", job_exports(account="lakeacct", production=True, workspace="dbw", pool=None))
