"""Resource types no checker validates, each with the reason.

``check()`` reports every registered type as checked, listed here, or
unknown; a test fails when an example stack registers an unknown type, so a
new resource type is either given rules or explained here.
"""

from __future__ import annotations

import re

NOT_COVERED: dict[str, str] = {
    "aws:apigateway/account:Account":
        "account-wide setting written by a PATCH with free-form operations; its one input is a role ARN",
    "aws:ec2/routeTableAssociation:RouteTableAssociation":
        "takes only two resource ids, both computed at preview",
    "azure-native:authorization:RoleAssignment":
        "principal, role and scope are ids computed at preview; the name is a generated GUID",
    "pulumi-python:dynamic:Resource":
        "a dynamic resource the program runs itself (a wait); it sends no request to a cloud API",
    "tls:index/privateKey:PrivateKey":
        "generated locally by the tls provider; no cloud API request",
    "tls:index/selfSignedCert:SelfSignedCert":
        "generated locally by the tls provider; no cloud API request",
    "gcp:projects/service:Service":
        "enables an API by its service name; nothing else is set",
    "gcp:projects/serviceIdentity:ServiceIdentity":
        "asks for a Google-managed service agent by service name; nothing else is set",
}
"""Registered types deliberately left unchecked, and why."""

_AZURE_NO_MODEL = (
    "not among the azure-mgmt model packages the rules read (eventhub, keyvault, storage, synapse); its name "
    "is checked by the program's naming rules"
)
NOT_COVERED.update({t: _AZURE_NO_MODEL for t in (
    "azure-native:authorization:ManagementLockByScope",
    "azure-native:consumption:Budget",
    "azure-native:databricks:AccessConnector",
    "azure-native:databricks:Workspace",
    "azure-native:managedidentity:UserAssignedIdentity",
    "azure-native:monitor:ActionGroup",
    "azure-native:monitor:DiagnosticSetting",
    "azure-native:network:NatGateway",
    "azure-native:network:PrivateDnsZoneGroup",
    "azure-native:network:PrivateEndpoint",
    "azure-native:network:PublicIPAddress",
    "azure-native:network:Subnet",
    "azure-native:network:VirtualNetwork",
    "azure-native:operationalinsights:Workspace",
    "azure-native:privatedns:PrivateZone",
    "azure-native:privatedns:VirtualNetworkLink",
    "azure-native:resources:ResourceGroup",
)})


def type_key(token: str) -> str:
    """One key per resource type: Azure API-version modules and AWS ``...V2`` aliases folded."""
    if token.startswith("azure-native:"):
        token = re.sub(r"/v\d{8}(preview)?:", ":", token)
    return re.sub(r"V2$", "", token) if token.startswith("aws:s3/") else token
