"""AzureProcessing: the sink and the Spark engine per profile."""

from __future__ import annotations

from collections import Counter

from tests.infra.azure.support import (
    CONSUMER_GROUP, DATABRICKS, HUB, NSG, ROLE_ASSIGNMENT, SPARK_POOL, SUBNET, SYNAPSE, T, child_types, component, of,
)

BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
RECEIVER = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde"


def test_grants_are_per_container_and_on_the_hub(learning):
    identity = of(learning, "processing", T + "managedidentity:UserAssignedIdentity")[0]
    grants = [g for g in of(learning, "processing", ROLE_ASSIGNMENT) if identity.urn in g.dependencies]
    containers = sorted(g.inputs["scope"].rsplit("/", 1)[-1] for g in grants
                        if g.inputs["roleDefinitionId"].endswith(BLOB_CONTRIBUTOR))
    assert containers == ["curated", "processed", "raw"]
    receivers = [g for g in grants if g.inputs["roleDefinitionId"].endswith(RECEIVER)]
    assert len(receivers) == 1 and receivers[0].inputs["scope"].endswith(learning.of_type(HUB)[0].inputs["eventHubName"])


def test_learning_sink_is_the_sink_consumer_group_and_the_engine_pauses(learning):
    outputs = component(learning, "processing").outputs
    sink_group = [g for g in learning.of_type(CONSUMER_GROUP) if g.inputs["consumerGroupName"] == "sink"][0]
    assert outputs["sink_id"].endswith("/sink")
    assert sink_group.inputs["consumerGroupName"] == "sink"
    assert outputs["engine_kind"] == "synapse-spark" and outputs["sink_delivery"] == "at-least-once"
    workspace = learning.of_type(SYNAPSE)
    spark_ws = [w for w in workspace if w.inputs["tags"]["stage"] == "processing"][0].inputs
    assert spark_ws["azureADOnlyAuthentication"] is True
    pool = learning.of_type(SPARK_POOL)[0].inputs
    assert pool["autoPause"]["enabled"] is True
    assert pool["autoScale"]["maxNodeCount"] * 4 <= 16  # maxVcpu default 16, 4 vCores per node


def test_override_wins_cluster_engine_does_not_pause_and_scales_to_max_vcpu(overridden):
    pool = overridden.of_type(SPARK_POOL)[0].inputs
    assert pool["autoPause"]["enabled"] is False
    assert pool["autoScale"]["maxNodeCount"] == 32 // 4


def test_production_databricks_is_vnet_injected_without_public_ip(production):
    workspace = production.of_type(DATABRICKS)[0]
    params = workspace.inputs["parameters"]
    assert params["enableNoPublicIp"]["value"] is True
    assert workspace.inputs["publicNetworkAccess"] == "Disabled"
    assert workspace.inputs["sku"]["name"] == "premium"
    vnet = production.of_type(T + "network:VirtualNetwork")[0].inputs["virtualNetworkName"]
    assert params["customVirtualNetworkId"]["value"].endswith("/" + vnet)
    delegated = {s.inputs["subnetName"]: s for s in production.of_type(SUBNET) if s.inputs.get("delegations")}
    assert {params["customPublicSubnetName"]["value"], params["customPrivateSubnetName"]["value"]} == set(delegated)
    nsg_names = {n.inputs["networkSecurityGroupName"]: n for n in production.of_type(NSG)}
    for subnet in delegated.values():
        assert subnet.inputs["delegations"][0]["serviceName"] == "Microsoft.Databricks/workspaces"
        nsg = nsg_names[subnet.inputs["networkSecurityGroup"]["id"].rsplit("/", 1)[-1]]
        assert nsg.inputs["tags"]["zone"] == "processing"
        assert subnet.inputs["natGateway"]["id"]
        assert subnet.urn in workspace.dependencies
    outputs = component(production, "processing").outputs
    assert outputs["engine_kind"] == "databricks"
    assert outputs["sink_id"].endswith("/" + production.of_type(HUB)[0].inputs["eventHubName"])


def test_exact_children(learning, production):
    assert child_types(learning, "processing") == Counter({
        T + "managedidentity:UserAssignedIdentity": 1, T + "authorization:RoleAssignment": 8,
        T + "synapse:Workspace": 1, T + "synapse:BigDataPool": 1})
    assert child_types(production, "processing") == Counter({
        T + "managedidentity:UserAssignedIdentity": 1, T + "authorization:RoleAssignment": 7,
        T + "monitor:DiagnosticSetting": 1, T + "databricks:Workspace": 1, T + "databricks:AccessConnector": 1, T + "network:NatGateway": 1,
        T + "network:PublicIPAddress": 1, T + "network:NetworkSecurityGroup": 2, T + "network:Subnet": 2,
        T + "network:PrivateEndpoint": 3, T + "network:PrivateDnsZoneGroup": 3, "pulumi-python:dynamic:Resource": 1})


KEY_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
"""Key Vault Crypto Service Encryption User (built-in role id)."""


def test_production_databricks_encrypts_with_the_vault_key(production):
    from tests.infra.azure.support import KEY, VAULT

    workspace = production.of_type(DATABRICKS)[0]
    key, vault = production.of_type(KEY)[0], production.of_type(VAULT)[0]
    entities = workspace.inputs["encryption"]["entities"]
    for entity in ("managedServices", "managedDisk"):
        assert entities[entity]["keySource"] == "Microsoft.Keyvault"
        properties = entities[entity]["keyVaultProperties"]
        assert properties["keyName"] == key.inputs["keyName"]
        assert properties["keyVaultUri"] == f"https://{vault.inputs['vaultName']}.vault.azure.net/"
        assert properties["keyVersion"]
    assert entities["managedDisk"]["rotationToLatestKeyVersionEnabled"] is True
    assert workspace.inputs["parameters"]["prepareEncryption"] == {"value": True}
    assert workspace.inputs["parameters"]["requireInfrastructureEncryption"] == {"value": True}


def test_each_key_user_holds_the_key_role_on_the_key_only(production):
    from tests.infra.azure.support import KEY

    workspace = production.of_type(DATABRICKS)[0]
    key = production.of_type(KEY)[0]
    grants = [g for g in of(production, "processing", ROLE_ASSIGNMENT) if g.inputs["roleDefinitionId"].endswith(KEY_USER)]
    assert len(grants) == 3
    assert all(key.urn in g.property_dependencies["scope"] for g in grants)
    app = "44444444-4444-4444-8444-444444444444"  # the AzureDatabricks service principal the offline tenant answers
    first = [g for g in grants if g.inputs["principalId"] == app]
    assert len(first) == 1 and first[0].urn in workspace.dependencies  # granted before the workspace exists
    after = [g for g in grants if g is not first[0]]
    assert all(workspace.urn in g.property_dependencies["principalId"] for g in after)  # disk set, DBFS storage


def test_learning_has_no_key_grants_in_processing(learning):
    assert [g for g in of(learning, "processing", ROLE_ASSIGNMENT) if g.inputs["roleDefinitionId"].endswith(KEY_USER)] == []



def test_databricks_nsgs_leave_the_priorities_databricks_claims(production):
    """Databricks adds its own rules at priorities 100-104 to the delegated subnets' NSGs; ours must not collide."""
    delegated = [s for s in production.of_type(SUBNET) if s.inputs.get("delegations")]
    nsg_names = {s.inputs["networkSecurityGroup"]["id"].rsplit("/", 1)[-1] for s in delegated}
    nsgs = [n for n in production.of_type(NSG) if n.inputs["networkSecurityGroupName"] in nsg_names]
    assert len(nsgs) == 2
    for nsg in nsgs:
        priorities = {rule["priority"] for rule in nsg.inputs["securityRules"]}
        assert not priorities & set(range(100, 105)), nsg.name


SUBSCRIPTION = "00000000-0000-4000-8000-000000000000"
"""The subscription the offline engine deploys to."""
READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"


def _spark_workspace(learning):
    return [w for w in learning.of_type(SYNAPSE) if w.inputs["tags"]["stage"] == "processing"][0]


def test_learning_spark_pool_runs_the_supported_runtime(learning, overridden):
    for synthesis in (learning, overridden):
        assert synthesis.of_type(SPARK_POOL)[0].inputs["sparkVersion"] == "3.5"


def test_learning_spark_identity_holds_exactly_hub_raw_processed_and_curated(learning):
    """Synapse runs Spark jobs as the workspace's system-assigned identity: it needs the hub and all three zones."""
    workspace = _spark_workspace(learning)
    grants = [g for g in of(learning, "processing", ROLE_ASSIGNMENT) if workspace.urn in g.dependencies]
    prefix = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/"
    held = sorted((g.inputs["scope"].rsplit("/", 1)[-1], g.inputs["roleDefinitionId"]) for g in grants)
    hub = learning.of_type(HUB)[0].inputs["eventHubName"]
    assert held == sorted([
        ("raw", prefix + "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
        ("processed", prefix + "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
        ("curated", prefix + "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
        (hub, prefix + "a638d3c7-ab3a-418d-83e6-5f17a39d4fde"),
    ])
    assert all(g.inputs["principalType"] == "ServicePrincipal" for g in grants)


def test_learning_spark_reaches_the_lake_through_a_managed_private_endpoint(learning):
    """The lake denies by default; Spark gets there only from a managed VNet with a managed private endpoint."""
    workspace = _spark_workspace(learning).inputs
    account = learning.of_type(T + "storage:StorageAccount")[0].inputs
    assert account["networkRuleSet"]["defaultAction"] == "Deny"
    assert workspace["managedVirtualNetwork"] == "default"
    assert workspace["defaultDataLakeStorage"]["createManagedPrivateEndpoint"] is True
    assert workspace["defaultDataLakeStorage"]["accountUrl"] == \
        f"https://{account['accountName']}.dfs.core.windows.net/"
    # Exfiltration protection would cut Spark off the hub, which it reads over its public endpoint.
    assert workspace["managedVirtualNetworkSettings"]["preventDataExfiltration"] is False


def test_production_processing_only_reads_raw(production):
    identity = of(production, "processing", T + "managedidentity:UserAssignedIdentity")[0]
    grants = [g for g in of(production, "processing", ROLE_ASSIGNMENT) if identity.urn in g.dependencies]
    roles = {g.inputs["scope"].rsplit("/", 1)[-1]: g.inputs["roleDefinitionId"].rsplit("/", 1)[-1] for g in grants
             if g.inputs["scope"].rsplit("/", 1)[-1] in ("raw", "processed", "curated")}
    assert roles == {"raw": READER, "processed": BLOB_CONTRIBUTOR, "curated": BLOB_CONTRIBUTOR}


def test_databricks_nsgs_keep_the_rules_databricks_adds(production):
    delegated = [s for s in production.of_type(SUBNET) if s.inputs.get("delegations")]
    names = {s.inputs["networkSecurityGroup"]["id"].rsplit("/", 1)[-1] for s in delegated}
    nsgs = [n for n in production.of_type(NSG) if n.inputs["networkSecurityGroupName"] in names]
    assert len(nsgs) == 2
    for nsg in nsgs:
        assert nsg.ignore_changes == ["securityRules"], nsg.name


def test_databricks_front_end_is_reachable_from_the_serving_zone(production):
    from tests.infra.azure.test_network import subnet_zone_by_name

    workspace = production.of_type(DATABRICKS)[0]
    zones = subnet_zone_by_name(production)
    endpoints = [e for e in production.of_type(T + "network:PrivateEndpoint")
                 if workspace.urn in e.property_dependencies["privateLinkServiceConnections"]]
    placed = sorted((e.inputs["privateLinkServiceConnections"][0]["groupIds"][0],
                     zones[e.inputs["subnet"]["id"].rsplit("/", 1)[-1]]) for e in endpoints)
    assert placed == [("browser_authentication", "serving"), ("databricks_ui_api", "processing"),
                      ("databricks_ui_api", "serving")]


def test_databricks_waits_for_its_key_grant_to_propagate(production):
    from tests.infra.azure.support import KEY

    workspace = production.of_type(DATABRICKS)[0]
    key = production.of_type(KEY)[0]
    waits = [w for w in production.of_type("pulumi-python:dynamic:Resource") if w.urn in workspace.dependencies]
    assert len(waits) == 1 and waits[0].inputs["seconds"] == 600
    app_grant = [g for g in of(production, "processing", ROLE_ASSIGNMENT)
                 if g.inputs["principalId"] == "44444444-4444-4444-8444-444444444444"][0]
    assert key.urn in app_grant.property_dependencies["scope"]
    assert app_grant.urn in waits[0].dependencies


def test_a_pinned_databricks_principal_is_granted_without_a_lookup():
    from tests.conftest import stack_config, synth

    pinned = "9b1c2a7e-53d4-4f0e-9a61-2c8d7e4b5f30"
    synthesis = synth("azure-prod", stack_config("azure-prod", azure={"location": "eastus",
                                                                      "databricksPrincipalId": pinned}))
    grants = [g for g in synthesis.of_type(ROLE_ASSIGNMENT) if g.inputs["roleDefinitionId"].endswith(KEY_USER)]
    assert [g.inputs["principalId"] for g in grants].count(pinned) == 1
    assert not [r for r in synthesis.resources if r.type == "pulumi:providers:azuread"]
