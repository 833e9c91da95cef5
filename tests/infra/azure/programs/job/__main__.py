"""A program exporting only the Azure job settings, for their tests."""

import pulumi

from infra.azure.job import job_exports

pulumi.export("learning", job_exports(account="lakeacct", production=False, workspace="ws", pool="spark",
                                        namespace="ns1", hub="events1", consumer_group="sink"))
pulumi.export("production", job_exports(account="lakeacct", production=True, workspace="dbw", pool=None))
