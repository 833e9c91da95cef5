"""Mock provider answers for the offline engine.

``new_resource`` echoes the inputs and adds the computed attributes a real
provider would return and the program reads (ids, ARNs, names, e-mails), in
each provider's shape, so that policy documents built with ``apply`` hold
concrete values. ``call`` answers the invokes the program makes and refuses
any other token: an un-mocked invoke must fail loudly, not return ``None``s.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable

from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks

ACCOUNT_ID = "123456789012"
AWS_REGION_FALLBACK = "us-east-1"
SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000000"
TENANT_ID = "11111111-1111-4111-8111-111111111111"
CLIENT_OBJECT_ID = "22222222-2222-4222-8222-222222222222"
SERVICE_PRINCIPAL_OBJECT_ID = "44444444-4444-4444-8444-444444444444"
"""Object id every Entra service principal looked up by application id gets offline."""
GCP_PROJECT_NUMBER = "123456789"


def _suffix(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:7]


def _aws_service(token: str) -> str:
    module = token.split(":")[1].split("/")[0]
    return {"s3": "s3", "kinesis": "kinesis", "iam": "iam", "kms": "kms", "sns": "sns", "ec2": "ec2",
            "cloudwatch": "logs", "apigateway": "apigateway", "athena": "athena", "glue": "glue",
            "emrserverless": "emr-serverless", "emr": "elasticmapreduce", "budgets": "budgets"}.get(module, module)


def _aws_state(args: MockResourceArgs, region: str) -> dict[str, Any]:
    token, name, inputs = args.typ, args.name, args.inputs
    service = _aws_service(token)
    physical = inputs.get("name") or f"{name}-{_suffix(name)}"
    state: dict[str, Any] = {"name": physical}
    kind = token.split(":")[-1].lower()
    if service == "s3":
        bucket = inputs.get("bucket") or physical
        state.update(bucket=bucket, arn=f"arn:aws:s3:::{bucket}",
                     bucketDomainName=f"{bucket}.s3.amazonaws.com",
                     bucketRegionalDomainName=f"{bucket}.s3.{region}.amazonaws.com")
    elif service == "iam":
        state["arn"] = f"arn:aws:iam::{ACCOUNT_ID}:{kind}/{physical}"
        state["uniqueId"] = f"AROA{_suffix(name).upper()}"
    elif service == "kms":
        key_id = f"{_suffix(name)}-0000-4000-8000-{_suffix(name + 'k')}00000"
        state.update(keyId=key_id, arn=f"arn:aws:kms:{region}:{ACCOUNT_ID}:key/{key_id}")
        if kind == "alias":
            state["arn"] = f"arn:aws:kms:{region}:{ACCOUNT_ID}:{inputs.get('name', 'alias/x')}"
    elif service == "apigateway":
        api_id = _suffix(name)[:10]
        state.update(arn=f"arn:aws:apigateway:{region}::/restapis/{api_id}",
                     executionArn=f"arn:aws:execute-api:{region}:{ACCOUNT_ID}:{api_id}",
                     rootResourceId=f"{api_id}root", invokeUrl=f"https://{api_id}.execute-api.{region}.amazonaws.com/v1")
    elif service == "logs":
        state["arn"] = f"arn:aws:logs:{region}:{ACCOUNT_ID}:log-group:{physical}"
    elif service == "kinesis":
        prefix = "deliverystream" if "firehose" in kind else "stream"
        state["arn"] = f"arn:aws:firehose:{region}:{ACCOUNT_ID}:{prefix}/{physical}" if prefix == "deliverystream" \
            else f"arn:aws:kinesis:{region}:{ACCOUNT_ID}:stream/{physical}"
    elif service == "sns":
        state["arn"] = f"arn:aws:sns:{region}:{ACCOUNT_ID}:{physical}"
    elif service == "emr-serverless":
        state["arn"] = f"arn:aws:emr-serverless:{region}:{ACCOUNT_ID}:/applications/{_suffix(name)}"
    elif service == "athena":
        state["arn"] = f"arn:aws:athena:{region}:{ACCOUNT_ID}:workgroup/{physical}"
    elif service == "sqs":
        state.update(arn=f"arn:aws:sqs:{region}:{ACCOUNT_ID}:{physical}",
                     url=f"https://sqs.{region}.amazonaws.com/{ACCOUNT_ID}/{physical}")
    elif service == "scheduler":
        where = "schedule-group" if kind == "schedulegroup" else f"schedule/{inputs.get('groupName') or 'default'}"
        state["arn"] = f"arn:aws:scheduler:{region}:{ACCOUNT_ID}:{where}/{physical}"
    elif service == "glue":
        state["arn"] = f"arn:aws:glue:{region}:{ACCOUNT_ID}:database/{physical}"
    elif service == "lambda":
        state["arn"] = f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{physical}"
    elif service == "scheduler":
        state["arn"] = f"arn:aws:scheduler:{region}:{ACCOUNT_ID}:schedule/{inputs.get('groupName', 'default')}/{physical}"
    elif service == "ec2":
        state["arn"] = f"arn:aws:ec2:{region}:{ACCOUNT_ID}:{kind}/{kind[:4]}-{_suffix(name)}"
        if kind == "vpc":
            state.update(defaultSecurityGroupId=f"sg-default{_suffix(name)}", mainRouteTableId=f"rtb-{_suffix(name)}",
                         defaultNetworkAclId=f"acl-{_suffix(name)}")
        if kind == "vpcendpoint":
            state["prefixListId"] = f"pl-{_suffix(name)}"
    else:
        state["arn"] = f"arn:aws:{service}:{region}:{ACCOUNT_ID}:{kind}/{physical}"
    return state


_AZURE_NAME_KEYS: dict[str, str] = {
    "StorageAccount": "accountName", "BlobContainer": "containerName", "Vault": "vaultName", "Key": "keyName",
    "Namespace": "namespaceName", "EventHub": "eventHubName", "ConsumerGroup": "consumerGroupName",
    "EventHubAuthorizationRule": "authorizationRuleName", "UserAssignedIdentity": "resourceName",
    "Subnet": "subnetName", "VirtualNetwork": "virtualNetworkName",
    "NetworkSecurityGroup": "networkSecurityGroupName", "PrivateEndpoint": "privateEndpointName",
    "PrivateDnsZoneGroup": "privateDnsZoneGroupName", "PrivateZone": "privateZoneName",
    "VirtualNetworkLink": "virtualNetworkLinkName", "Workspace": "workspaceName",
    "BigDataPool": "bigDataPoolName", "ActionGroup": "actionGroupName", "Budget": "budgetName",
    "ResourceGroup": "resourceGroupName", "ManagementLockAtResourceLevel": "lockName",
    "PublicIPAddress": "publicIpAddressName", "NatGateway": "natGatewayName",
    "AccessConnector": "connectorName", "BlobServiceProperties": "blobServicesName",
    "ManagementPolicy": "managementPolicyName", "RoleAssignment": "roleAssignmentName",
}
"""The input that holds each azure-native resource's own name (the others name its parents)."""


def _azure_state(args: MockResourceArgs) -> dict[str, Any]:
    """An ARM-shaped id (parents' names as path segments, so ids are unique) and computed attributes."""
    inputs = args.inputs
    token = args.typ
    module, kind = token.split(":")[1].split("/")[0], token.split(":")[-1]
    rg = inputs.get("resourceGroupName", "rg")
    own_key = _AZURE_NAME_KEYS.get(kind)
    physical = inputs.get(own_key) if own_key else None
    if not isinstance(physical, str) or not physical:
        physical = f"{args.name}{_suffix(args.name)}"
    parents = [str(inputs[k]) for k in inputs if k.endswith("Name") and k not in ("resourceGroupName", own_key)
               and isinstance(inputs[k], str)]
    path = "/".join(f"{segment}" for segment in parents)
    provider_path = f"Microsoft.{module}/{path + '/' if path else ''}{kind}/{physical}"
    state: dict[str, Any] = {
        "name": physical,
        "id": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{rg}/providers/{provider_path}",
    }
    if kind == "ResourceGroup":
        state["id"] = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{physical}"
    if kind == "RoleAssignment":
        state["id"] = f"{inputs.get('scope', '')}/providers/Microsoft.Authorization/roleAssignments/{_suffix(args.name)}"
    if kind == "UserAssignedIdentity":
        state.update(principalId=f"{_suffix(args.name)}-0000-4000-8000-000000000001",
                     clientId=f"{_suffix(args.name)}-0000-4000-8000-000000000002", tenantId=TENANT_ID)
    if kind == "StorageAccount":
        state["primaryEndpoints"] = {"dfs": f"https://{physical}.dfs.core.windows.net/",
                                     "blob": f"https://{physical}.blob.core.windows.net/"}
    if kind == "Vault":
        state["properties"] = {**inputs.get("properties", {}), "vaultUri": f"https://{physical}.vault.azure.net/"}
    if kind == "Namespace":
        state["serviceBusEndpoint"] = f"https://{physical}.servicebus.windows.net:443/"
    if kind == "Key":
        vault = inputs.get("vaultName", "vault")
        state["keyUri"] = f"https://{vault}.vault.azure.net/keys/{physical}"
        state["keyUriWithVersion"] = f"https://{vault}.vault.azure.net/keys/{physical}/{_suffix(args.name)}"
    if module == "databricks" and kind == "Workspace":
        for key, n in (("managedDiskIdentity", 3), ("storageAccountIdentity", 4)):
            state[key] = {"principalId": f"{_suffix(args.name)}-0000-4000-8000-00000000000{n}",
                          "tenantId": TENANT_ID, "type": "SystemAssigned"}
    if kind in ("Workspace", "Grafana"):
        state["workspaceUrl"] = f"adb-{_suffix(args.name)}.azuredatabricks.net"
        state["properties"] = {**inputs.get("properties", {}), "endpoint": f"https://{physical}.grafana.azure.com"}
        state["connectivityEndpoints"] = {"sqlOnDemand": f"{physical}-ondemand.sql.azuresynapse.net",
                                          "sql": f"{physical}.sql.azuresynapse.net",
                                          "dev": f"https://{physical}.dev.azuresynapse.net"}
    return state


def _azure_outputs_shape(inputs: dict[str, Any], computed: dict[str, Any]) -> dict[str, Any]:
    """State where inputs and outputs differ: user-assigned identities go in as a list and come back
    as a map; computed ``properties`` (a vault's URI) add to the input ones."""
    out: dict[str, Any] = {}
    identity = inputs.get("identity")
    if isinstance(identity, dict) and isinstance(identity.get("userAssignedIdentities"), list):
        ids = identity["userAssignedIdentities"]
        out["identity"] = {**identity, "userAssignedIdentities": {i: {"principalId": _suffix(str(i))} for i in ids}}
    if isinstance(computed.get("properties"), dict):
        out["properties"] = {**(inputs.get("properties") or {}), **computed["properties"]}
    return out


def _azure_list_keys(args: dict) -> dict[str, Any]:
    """``listEventHubKeys``: a SAS rule's keys and connection strings (offline placeholders)."""
    namespace, hub, rule = args.get("namespaceName"), args.get("eventHubName"), args.get("authorizationRuleName")
    key = "offline-" + _suffix(f"{namespace}/{hub}/{rule}")
    conn = (f"Endpoint=sb://{namespace}.servicebus.windows.net/;SharedAccessKeyName={rule};"
            f"SharedAccessKey={key};EntityPath={hub}")
    return {"keyName": rule, "primaryKey": key, "secondaryKey": key + "2", "primaryConnectionString": conn,
            "secondaryConnectionString": conn + "2", "aliasPrimaryConnectionString": "",
            "aliasSecondaryConnectionString": ""}


def _gcp_state(args: MockResourceArgs, project: str) -> dict[str, Any]:
    inputs = args.inputs
    token = args.typ
    kind = token.split(":")[-1]
    physical = inputs.get("name") or f"{args.name}-{_suffix(args.name)}"
    proj = inputs.get("project", project)
    state: dict[str, Any] = {"name": physical, "project": proj,
                             "selfLink": f"https://www.googleapis.com/{kind.lower()}/v1/projects/{proj}/{physical}"}
    if kind == "Account":  # service account
        account_id = inputs.get("accountId", physical)
        email = f"{account_id}@{proj}.iam.gserviceaccount.com"
        state.update(email=email, member=f"serviceAccount:{email}", name=f"projects/{proj}/serviceAccounts/{email}",
                     uniqueId=_suffix(args.name))
    elif kind == "Topic":
        state["id"] = f"projects/{proj}/topics/{physical}"
    elif kind == "Subscription":
        state["id"] = f"projects/{proj}/subscriptions/{physical}"
    elif kind == "Bucket":
        state["url"] = f"gs://{physical}"
    elif kind == "KeyRing":
        state["id"] = f"projects/{proj}/locations/{inputs.get('location', 'global')}/keyRings/{physical}"
    elif kind == "CryptoKey":
        state["id"] = f"{inputs.get('keyRing', 'keyring')}/cryptoKeys/{physical}"
    elif kind == "Dataset":
        state["id"] = f"projects/{proj}/datasets/{inputs.get('datasetId', physical)}"
    elif kind == "Network":
        state["id"] = f"projects/{proj}/global/networks/{physical}"
    elif kind == "Subnetwork":
        state["id"] = f"projects/{proj}/regions/{inputs.get('region', 'r')}/subnetworks/{physical}"
    elif kind == "AccountIamMember" or "IAM" in kind or "Iam" in kind:
        state["etag"] = _suffix(args.name)
    elif kind == "Budget":
        state["name"] = f"billingAccounts/{inputs.get('billingAccount', 'b')}/budgets/{_suffix(args.name)}"
    elif kind == "Firewall":
        state["id"] = f"projects/{proj}/global/firewalls/{physical}"
    elif kind == "NotificationChannel":
        state.update(name=f"projects/{proj}/notificationChannels/{int(_suffix(args.name), 16)}")
        state["id"] = state["name"]
    elif kind == "Table":
        state["id"] = f"projects/{proj}/datasets/{inputs.get('datasetId', 'd')}/tables/{inputs.get('tableId', physical)}"
    elif kind == "AutoscalingPolicy":
        state["name"] = (f"projects/{proj}/regions/{inputs.get('location', 'r')}/autoscalingPolicies/"
                         f"{inputs.get('policyId', physical)}")
        state["id"] = state["name"].replace("/regions/", "/locations/")
    elif kind == "Cluster" and token.startswith("gcp:dataproc"):
        state["id"] = f"projects/{proj}/regions/{inputs.get('region', 'r')}/clusters/{physical}"
    elif kind == "WorkloadIdentityPool":
        state["name"] = (f"projects/{GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/"
                         f"{inputs.get('workloadIdentityPoolId', physical)}")
    elif kind == "WorkloadIdentityPoolProvider":
        state["name"] = (f"projects/{GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/"
                         f"{inputs.get('workloadIdentityPoolId', 'pool')}/providers/"
                         f"{inputs.get('workloadIdentityPoolProviderId', physical)}")
    elif kind == "SessionTemplate":
        state["id"] = physical
    elif kind == "Service":
        state["id"] = f"{proj}/{inputs.get('service', physical)}"
    elif kind == "ServiceIdentity":  # projects.ServiceIdentity: the service's agent
        api = str(inputs.get("service", "api")).split(".")[0]
        email = f"service-{GCP_PROJECT_NUMBER}@gcp-sa-{api}.iam.gserviceaccount.com"
        state.update(email=email, member=f"serviceAccount:{email}", id=f"projects/{proj}/services/{api}")
    return state


class PlatformMocks(Mocks):
    """Answers for resources and invokes of the three providers."""

    def __init__(self, gcp_project: str = "blueprint-offline", aws_region: str = AWS_REGION_FALLBACK) -> None:
        self.gcp_project = gcp_project
        self.aws_region = aws_region
        self._calls: dict[str, Callable[[dict], dict]] = {
            "aws:index/getCallerIdentity:getCallerIdentity": lambda a: {
                "accountId": ACCOUNT_ID, "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/offline", "userId": "AIDAOFFLINE",
                "id": ACCOUNT_ID},
            "aws:index/getRegion:getRegion": lambda a: {"name": self.aws_region, "region": self.aws_region,
                                                        "id": self.aws_region},
            "aws:index/getPartition:getPartition": lambda a: {"partition": "aws", "dnsSuffix": "amazonaws.com",
                                                              "id": "aws"},
            "aws:index/getAvailabilityZones:getAvailabilityZones": self._aws_zones,
            "azure-native:authorization:getClientConfig": lambda a: {
                "clientId": "33333333-3333-4333-8333-333333333333", "objectId": CLIENT_OBJECT_ID,
                "subscriptionId": SUBSCRIPTION_ID, "tenantId": TENANT_ID},
            "azure-native:eventhub:listEventHubKeys": _azure_list_keys,
            "azuread:index/getServicePrincipal:getServicePrincipal": lambda a: {
                "clientId": a.get("clientId"), "objectId": SERVICE_PRINCIPAL_OBJECT_ID,
                "displayName": a.get("displayName") or "offline", "id": SERVICE_PRINCIPAL_OBJECT_ID},
            "gcp:organizations/getProject:getProject": lambda a: {
                "projectId": a.get("projectId") or self.gcp_project, "number": GCP_PROJECT_NUMBER,
                "name": a.get("projectId") or self.gcp_project, "id": f"projects/{a.get('projectId') or self.gcp_project}"},
            "gcp:organizations/getClientConfig:getClientConfig": lambda a: {
                "project": self.gcp_project, "region": "us-central1", "zone": "us-central1-a", "accessToken": "offline",
                "id": "offline"},
            "gcp:bigquery/getDefaultServiceAccount:getDefaultServiceAccount": lambda a: {
                "email": f"bq-{GCP_PROJECT_NUMBER}@bigquery-encryption.iam.gserviceaccount.com",
                "member": f"serviceAccount:bq-{GCP_PROJECT_NUMBER}@bigquery-encryption.iam.gserviceaccount.com",
                "project": a.get("project") or self.gcp_project, "id": "bigquery-agent"},
            "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": lambda a: {
                "emailAddress": f"service-{GCP_PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com",
                "member": f"serviceAccount:service-{GCP_PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com",
                "project": a.get("project") or self.gcp_project, "id": "gcs-agent"},
        }

    def _aws_zones(self, args: dict) -> dict:
        """Like an account whose first zone name maps to use1-az3 (where some services do not run) and
        that has opted in to a Local Zone, which sorts first by name as DescribeAvailabilityZones
        returns it. ``excludeZoneIds``, ``excludeNames``, ``state`` and the ``opt-in-status`` and
        ``zone-type`` filters are honoured as the provider does."""
        zones = [(f"{self.aws_region}-bos-1a", f"{self.aws_region[:2]}e1-bos1-az1", "opted-in", "local-zone")]
        zones += [(f"{self.aws_region}{z}", f"use1-az{i}", "opt-in-not-required", "availability-zone")
                  for z, i in zip("abcd", (3, 1, 2, 4))]
        wanted = {f["name"]: set(f["values"]) for f in args.get("filters") or []}
        kept = [(n, i) for n, i, opt_in, kind in zones
                if i not in (args.get("excludeZoneIds") or []) and n not in (args.get("excludeNames") or [])
                and opt_in in wanted.get("opt-in-status", {opt_in}) and kind in wanted.get("zone-type", {kind})]
        return {"names": [n for n, _ in kept], "zoneIds": [i for _, i in kept], "id": self.aws_region}

    def call(self, args: MockCallArgs):
        handler = self._calls.get(args.token)
        if handler is None:
            raise NotImplementedError(
                f"the offline engine has no answer for invoke {args.token!r}; add one to blueprint/mocks.py"
            )
        return handler(args.args)

    def new_resource(self, args: MockResourceArgs):
        token = args.typ
        if token.startswith("pulumi:providers:"):
            return f"{args.name}_id", dict(args.inputs)
        if token.startswith("aws:"):
            extra = _aws_state(args, self.aws_region)
        elif token.startswith("azure-native:"):
            extra = _azure_state(args)
        elif token.startswith("gcp:"):
            extra = _gcp_state(args, self.gcp_project)
        else:
            extra = {}
        state = {**extra, **args.inputs}
        if token.startswith("azure-native:"):
            state.update(_azure_outputs_shape(args.inputs, extra))
        resource_id = extra.get("id") or f"{args.name}-id"
        state.setdefault("id", resource_id)
        return resource_id, state
