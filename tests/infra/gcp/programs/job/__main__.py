"""A program with only the GCP job component, for its tests."""

import pulumi

from infra.gcp.job import GcpJob

job = GcpJob("job", staging_bucket="proc-staging", subnet="projects/p/regions/europe-west1/subnetworks/processing",
             service_account="processing@p.iam.gserviceaccount.com",
             kms_key="projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k")
pulumi.export("job", job.exports)
