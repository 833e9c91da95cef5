"""The GCP side of the sweep: Cloud Asset Inventory by label, deletes by the resource's REST name.

``searchAllResources`` with ``labels.stack:<name>`` lists the project's labelled
resources (the label value is the GCP form of the stack name). A delete maps
the asset's full resource name (``//SERVICE/PATH``) to its API: Cloud Storage
and BigQuery have their own paths, Compute Engine lives under ``compute/v1``,
and most others answer ``DELETE https://SERVICE/v1/PATH``. Buckets are emptied
first. KMS key rings and keys cannot be deleted at all, so they are reported.
"""

from __future__ import annotations

import urllib.parse
from typing import Any, Callable, Optional

from blueprint.teardown.inventory import Found
from blueprint.teardown.rest import Rest
from components.naming import label_value

ASSET = "https://cloudasset.googleapis.com/v1"
PERMANENT = ("cloudkms.googleapis.com/KeyRing", "cloudkms.googleapis.com/CryptoKey")


def delete_url(name: str) -> str:
    """The REST URL that deletes the asset with full resource name ``name``."""
    service, _, path = name.removeprefix("//").partition("/")
    if service == "storage.googleapis.com":
        return f"https://storage.googleapis.com/storage/v1/b/{path.rsplit('/', 1)[-1]}"
    if service == "bigquery.googleapis.com":
        return f"https://bigquery.googleapis.com/bigquery/v2/{path}?deleteContents=true"
    if service == "compute.googleapis.com":
        return f"https://compute.googleapis.com/compute/v1/{path}"
    return f"https://{service}/v1/{path}"


class GcpCloud:
    def __init__(self, rest: Rest, project: str) -> None:
        self.rest = rest
        self.project = project

    def inventory(self, stack: str) -> list[Found]:
        found, token = [], None
        while True:
            params: dict[str, Any] = {"query": f"labels.stack:{label_value(stack)}", "pageSize": 500}
            if token:
                params["pageToken"] = token
            page = self.rest.call("GET", f"{ASSET}/projects/{self.project}:searchAllResources", params=params)
            for row in page.get("results", []):
                found.append(Found("gcp", row["name"], row["assetType"], row["name"].rsplit("/", 1)[-1],
                                   dict(row.get("labels") or {}), row.get("state", "")))
            token = page.get("nextPageToken")
            if not token:
                return found

    def delete(self, item: Found, progress: Callable[[str], None] = print) -> Optional[str]:
        if item.type in PERMANENT:
            return "KMS key rings and keys cannot be deleted (their versions are destroyed by pulumi destroy)"
        if item.type == "storage.googleapis.com/Bucket":
            self._empty_bucket(item.name)
        self.rest.call("DELETE", delete_url(item.id))
        return None

    def _empty_bucket(self, bucket: str) -> None:
        base = f"https://storage.googleapis.com/storage/v1/b/{bucket}/o"
        token = None
        while True:
            params: dict[str, Any] = {"versions": "true"}
            if token:
                params["pageToken"] = token
            page = self.rest.call("GET", base, params=params)
            for obj in page.get("items", []):
                self.rest.call("DELETE", f"{base}/{urllib.parse.quote(obj['name'], safe='')}",
                               params={"generation": obj["generation"]})
            token = page.get("nextPageToken")
            if not token:
                return
