"""AzureVisualize: Synapse serverless SQL over curated data with a read-only identity."""

from __future__ import annotations

from collections import Counter

from tests.infra.azure.support import ROLE_ASSIGNMENT, SYNAPSE, T, child_types, component, of

READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"


def test_reader_reads_curated_only(learning, production):
    for synthesis in (learning, production):
        grants = of(synthesis, "visualize", ROLE_ASSIGNMENT)
        assert len(grants) == 1
        assert grants[0].inputs["roleDefinitionId"].endswith(READER)
        assert grants[0].inputs["scope"].endswith("/curated")
        outputs = component(synthesis, "visualize").outputs
        assert outputs["reader_identity"] == outputs["identity"]
        assert outputs["query_endpoint"].endswith("-ondemand.sql.azuresynapse.net")


def test_secure_defaults_and_production_privacy(learning, production):
    ws = of(learning, "visualize", SYNAPSE)[0].inputs
    assert ws["azureADOnlyAuthentication"] is True and "sqlAdministratorLoginPassword" not in ws
    assert ws["defaultDataLakeStorage"]["filesystem"] == "curated"
    # Learning has no private endpoint: the public endpoint stays on, closed by having no firewall rule, so an
    # operator can open it to their own address.
    assert ws["publicNetworkAccess"] == "Enabled" and "managedVirtualNetwork" not in ws
    assert learning.of_type("azure-native:synapse:IpFirewallRule") == []
    prod = of(production, "visualize", SYNAPSE)[0].inputs
    assert prod["publicNetworkAccess"] == "Disabled" and prod["managedVirtualNetwork"] == "default"
    assert prod["managedVirtualNetworkSettings"]["preventDataExfiltration"] is True


def test_override_wins_scan_limit(learning, overridden):
    assert component(learning, "visualize").outputs["scan_limit_gb"] == 10
    assert component(overridden, "visualize").outputs["scan_limit_gb"] == 3


def test_exact_children(learning, production):
    assert child_types(learning, "visualize") == Counter({
        T + "managedidentity:UserAssignedIdentity": 1, T + "authorization:RoleAssignment": 1, T + "synapse:Workspace": 1,
        T + "synapse:WorkspaceAadAdmin": 1})
    assert child_types(production, "visualize") == Counter({
        T + "managedidentity:UserAssignedIdentity": 1, T + "authorization:RoleAssignment": 1, T + "synapse:Workspace": 1,
        T + "network:PrivateEndpoint": 1, T + "network:PrivateDnsZoneGroup": 1, T + "synapse:WorkspaceAadAdmin": 1})


def test_deployer_administers_sql_and_the_login_bootstrap_is_exported(learning, production):
    """Serverless SQL admits the Visualize identity only with a login, which only T-SQL creates."""
    for synthesis in (learning, production):
        (admin,) = of(synthesis, "visualize", T + "synapse:WorkspaceAadAdmin")
        workspace = of(synthesis, "visualize", SYNAPSE)[0]
        assert admin.inputs["workspaceName"] == workspace.inputs["workspaceName"]
        assert admin.inputs["administratorType"] == "ActiveDirectory"
        assert admin.inputs["sid"] == "22222222-2222-4222-8222-222222222222"  # the deploying client (offline)
        assert admin.inputs["tenantId"] == "11111111-1111-4111-8111-111111111111"
        identity = of(synthesis, "visualize", T + "managedidentity:UserAssignedIdentity")[0].inputs["resourceName"]
        assert synthesis.exports["visualize_sql_bootstrap"] == (
            f"CREATE LOGIN [{identity}] FROM EXTERNAL PROVIDER;\n"
            f"GRANT ADMINISTER BULK OPERATIONS TO [{identity}];\n"
        )
