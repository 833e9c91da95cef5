"""The Azure side of the sweep: Azure Resource Graph by tag, deletes by resource id.

One Resource Graph query (``resources`` plus resource groups from
``resourcecontainers``) finds everything tagged ``stack: <name>`` in the
subscription. A delete needs the API version of the resource's type, read from
its resource provider (``GET /subscriptions/{id}/providers/{namespace}``).
A resource group is deleted last and only when Resource Graph shows nothing
left in it: deleting a group deletes its contents, tagged or not.
Key Vaults are soft-deleted: the sweep lists the stack's deleted vaults too,
so that a name reserved by a destroyed stack is visible.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from blueprint.teardown.inventory import Found
from blueprint.teardown.rest import Rest

ARM = "https://management.azure.com"
GRAPH_API = "2022-10-01"
PROVIDERS_API = "2021-04-01"
KEYVAULT_API = "2023-07-01"
GROUP_TYPE = "microsoft.resources/subscriptions/resourcegroups"


def kql_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class AzureCloud:
    def __init__(self, rest: Rest, subscription: str) -> None:
        self.rest = rest
        self.subscription = subscription
        self._versions: dict[str, str] = {}

    def query(self, kql: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        options: dict[str, Any] = {"resultFormat": "objectArray"}
        while True:
            page = self.rest.call("POST", f"{ARM}/providers/Microsoft.ResourceGraph/resources",
                                  {"subscriptions": [self.subscription], "query": kql, "options": options},
                                  {"api-version": GRAPH_API})
            rows += page.get("data", [])
            token = page.get("$skipToken")
            if not token:
                return rows
            options = {**options, "$skipToken": token}

    def inventory(self, stack: str) -> list[Found]:
        kql = ("resources | union (resourcecontainers | where type =~ '" + GROUP_TYPE + "') "
               f"| where tags['stack'] == {kql_string(stack)} | project id, name, type, tags")
        found = [Found("azure", row["id"], row["type"].lower(), row["name"], dict(row.get("tags") or {}))
                 for row in self.query(kql)]
        return found + self.deleted_vaults(stack)

    def deleted_vaults(self, stack: str) -> list[Found]:
        page = self.rest.call("GET", f"{ARM}/subscriptions/{self.subscription}/providers/Microsoft.KeyVault/deletedVaults",
                              params={"api-version": KEYVAULT_API})
        out = []
        for vault in page.get("value", []):
            props = vault.get("properties") or {}
            tags = dict(props.get("tags") or {})
            if tags.get("stack") == stack:
                out.append(Found("azure", vault["id"], "microsoft.keyvault/deletedvaults", vault["name"], tags,
                                 f"soft-deleted, purge after {props.get('scheduledPurgeDate', '?')}"))
        return out

    def api_version(self, resource_type: str) -> str:
        namespace, _, rest = resource_type.partition("/")
        if resource_type not in self._versions:
            info = self.rest.call("GET", f"{ARM}/subscriptions/{self.subscription}/providers/{namespace}",
                                  params={"api-version": PROVIDERS_API})
            for entry in info.get("resourceTypes", []):
                stable = [v for v in entry.get("apiVersions", []) if "preview" not in v]
                self._versions[f"{namespace}/{entry['resourceType']}".lower()] = sorted(stable or entry["apiVersions"])[-1]
        return self._versions[resource_type.lower()]

    def delete(self, item: Found, progress: Callable[[str], None] = print) -> Optional[str]:
        if item.type == "microsoft.keyvault/deletedvaults":
            return (f"soft-deleted vault {item.name} ({item.state}); purge it to free the name: "
                    f"az keyvault purge --name {item.name}")
        if item.type == GROUP_TYPE:
            rows = self.query(f"resources | where resourceGroup =~ {kql_string(item.name)} | project id")
            if rows:
                return f"resource group still holds {len(rows)} resources (for example {rows[0]['id']})"
            self.rest.call("DELETE", f"{ARM}{item.id}", params={"api-version": self.api_version("Microsoft.Resources/resourceGroups")})
            return None
        self.rest.call("DELETE", f"{ARM}{item.id}", params={"api-version": self.api_version(item.type)})
        return None
