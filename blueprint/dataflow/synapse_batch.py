"""Synapse Spark batches (Livy) on the stack's pool: submit one, wait for its final state.

``bp run azure`` and ``bp smoke azure`` submit two kinds: the drain (learning
raw) and the sensor job. The Livy endpoint is the workspace's development
endpoint; the caller's Entra token needs a Synapse RBAC role that may submit
Spark jobs ("Synapse Compute Operator" or more) and the workspace firewall
must admit the caller.
"""

from __future__ import annotations

from blueprint.dataflow import job_wait
from blueprint.dataflow.unavailable import Unavailable

LIVY_API = "2019-11-01-preview"
SYNAPSE_SCOPE = "https://dev.azuresynapse.net/.default"
TERMINAL = {"success", "dead", "killed", "error"}
SMALL_NODE = {"driverMemory": "28g", "driverCores": 4, "executorMemory": "28g", "executorCores": 4, "numExecutors": 2}
"""One Synapse "Small" node per driver and executor (the pool's node size; two executors, the pool minimum)."""


class SynapseBatches:
    def __init__(self, credential, workspace: str, pool: str, http=None) -> None:
        if http is None:
            import requests as http
        self.http = http
        self.credential = credential
        self.base = f"https://{workspace}.dev.azuresynapse.net/livyApi/versions/{LIVY_API}/sparkPools/{pool}/batches"

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.credential.get_token(SYNAPSE_SCOPE).token}"}

    def run(self, name: str, file: str, py_files: list[str], args: list[str]) -> str:
        """Submit ``file`` with ``args`` and wait; its final state (``success`` when it worked)."""
        body = {"name": name, "file": file, "pyFiles": py_files, **SMALL_NODE, "args": args}
        created = self.http.post(self.base, json=body, headers=self._headers(), timeout=60)
        if created.status_code >= 300:
            raise Unavailable(f"Synapse refused the batch {name} (HTTP {created.status_code}; the workspace admits no "
                              f"client until an operator adds a firewall rule): {created.text[:300]}")
        batch = created.json()["id"]
        return job_wait.wait(
            lambda: self.http.get(f"{self.base}/{batch}", headers=self._headers(), timeout=60).json()["state"],
            TERMINAL, f"{name} batch {batch}")
