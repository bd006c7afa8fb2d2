"""Runtime extensions of moto 5.2.1 that make its EC2 PrivateLink behave like AWS.

Nothing in site-packages is edited: every patch replaces or wraps an attribute of a moto
class when `apply_all()` runs, inside the emulator's own process. Each patch is a small
function whose docstring says which AWS behaviour it reproduces.

How moto 5.2.1 answers EC2 calls (what the patches rely on):
- the query action name is turned into a snake_case method of `EC2Response` (a class made of
  the mixins in moto/ec2/responses/*.py); a method added to a mixin is a new action;
- responses are serialized from the botocore output shape (`ActionResult`), reading model
  attributes or dict keys named like the shape members (PascalCase or snake_case), so adding
  an attribute to a model is often all it takes to return a field.

Accounts: a request's account comes from its credentials (moto's default is 123456789012).
Endpoint services are looked up by name across every account and region of the emulator,
so a consumer account can connect to a provider account's service, as on AWS.
"""

from __future__ import annotations

import functools
import string
from typing import Any, Callable, Iterator

import moto
from moto.ec2.exceptions import EC2ClientError, InvalidParameter, InvalidServiceName, UnknownVpcEndpointService
from moto.ec2.models import ec2_backends
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.ec2.models.subnets import Subnet, SubnetBackend
from moto.ec2.models.vpc_service_configuration import VPCServiceConfiguration, VPCServiceConfigurationBackend
from moto.ec2.models.vpcs import VPCBackend, VPCEndPoint
from moto.ec2.responses.vpc_service_configuration import VPCEndpointServiceConfiguration
from moto.ec2.responses.vpcs import VPCs
from moto.moto_api._internal import mock_random

SUPPORTED_MOTO_VERSION = "5.2.1"

_ALNUM = string.ascii_lowercase + string.digits
_HEX = "0123456789abcdef"

#: Hosted zone ids AWS uses for the public `*.vpce.amazonaws.com` names, per region; other
#: regions get a stable made-up id of the same shape.
_VPCE_HOSTED_ZONE_IDS = {
    "us-east-1": "Z7HUB22UULQXV",
    "us-east-2": "ZC8PG0KIFKBRI",
    "us-west-1": "Z12I86A8N7VCZO",
    "us-west-2": "Z1YSA3EXCYUU9Z",
    "eu-west-1": "Z38GZ743OKFT7T",
    "eu-central-1": "Z273ZU8SZ5RJPC",
    "ap-northeast-1": "Z2E726K9Y6RL4W",
    "ap-southeast-1": "Z18LLCSTV4NVNL",
    "ap-southeast-2": "ZDK2GCRPAFKGO",
}


def _rand(chars: str, n: int) -> str:
    return "".join(mock_random.choice(chars) for _ in range(n))


def _vpce_hosted_zone_id(region: str) -> str:
    if region in _VPCE_HOSTED_ZONE_IDS:
        return _VPCE_HOSTED_ZONE_IDS[region]
    digest = "".join(_ALNUM[(ord(c) * 7 + i) % 36] for i, c in enumerate(region * 2))
    return ("Z" + digest.upper())[:14]


def _private_hosted_zone_id(vpc_id: str) -> str:
    return "Z" + "".join(_ALNUM[(ord(c) * 13 + i) % 36] for i, c in enumerate(vpc_id)).upper()[:13]


# --------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------

PATCHES: list[Callable[[], None]] = []
_applied = False


def patch(fn: Callable[[], None]) -> Callable[[], None]:
    PATCHES.append(fn)
    return fn


def apply_all() -> list[str]:
    """Applies every patch once; returns their names."""
    global _applied
    if moto.__version__ != SUPPORTED_MOTO_VERSION:
        raise RuntimeError(
            f"the PrivateLink emulator patches moto {SUPPORTED_MOTO_VERSION}, found moto {moto.__version__}: "
            f'pip install "moto[server]=={SUPPORTED_MOTO_VERSION}"'
        )
    if not _applied:
        for fn in PATCHES:
            fn()
        _applied = True
    return [fn.__name__ for fn in PATCHES]


def _wrap(cls: type, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Replaces cls.name by the decorated function, which receives the original first."""
    original = getattr(cls, name)

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return fn(original, *args, **kwargs)

        setattr(cls, name, wrapper)
        return wrapper

    return decorator


# --------------------------------------------------------------------------------------------
# Lookups across accounts and regions
# --------------------------------------------------------------------------------------------


def _ec2_backends() -> Iterator[Any]:
    """Every EC2 backend created so far (never creates one)."""
    for account_backends in list(dict.values(ec2_backends)):
        for backend in list(dict.values(account_backends)):
            yield backend


def _find_service(service_name: str) -> VPCServiceConfiguration | None:
    """The endpoint service created in this emulator under that name, if any."""
    for backend in _ec2_backends():
        for config in list(backend.configurations.values()):
            if config.service_name == service_name:
                return config
    return None


def _endpoints_of(config: VPCServiceConfiguration) -> list[VPCEndPoint]:
    """Every endpoint (any account) connected to an emulator service, oldest first."""
    found = [
        endpoint
        for backend in _ec2_backends()
        for endpoint in list(backend.vpc_end_points.values())
        if endpoint.service_name == config.service_name
    ]
    return sorted(found, key=lambda e: e.creation_timestamp)


def _principal_type(principal: str) -> str:
    if principal == "*":
        return "All"
    if principal.endswith(":root"):
        return "Account"
    if ":role/" in principal:
        return "Role"
    if ":user/" in principal:
        return "User"
    if "organizations" in principal or "/ou-" in principal:
        return "OrganizationUnit"
    if principal.endswith(".amazonaws.com"):
        return "Service"
    return "Account"


def _principal_allowed(config: VPCServiceConfiguration, account_id: str) -> bool:
    """AWS lets an account connect when `*`, its root, or one of its IAM principals is allowed.

    The emulator cannot tell which IAM principal of an account calls, so any allowed principal
    of the account counts (the root ARN is what our stacks use)."""
    for principal in config.principals:
        if principal == "*" or principal == account_id:
            return True
        if principal.startswith("arn:") and principal.split(":")[4:5] == [account_id]:
            return True
    return False


# --------------------------------------------------------------------------------------------
# Subnets and VPCs: IPv6 association state
# --------------------------------------------------------------------------------------------


@patch
def patch_subnet_ipv6_association_state() -> None:
    """DescribeSubnets returns Ipv6CidrBlockAssociationSet[].Ipv6CidrBlockState.State as the
    word `associated` (stock moto renders the dict `{'State': 'associated'}` as text, so
    Terraform's aws_subnet with ipv6_cidr_block waits until it times out). VPC associations
    already carry a plain state and are left as they are."""

    def ipv6_cidr_block_association_set(self: Subnet) -> list[dict[str, Any]]:
        associations = []
        for association in self.ipv6_cidr_block_associations.values():
            state = association["ipv6CidrBlockState"]
            state = state.get("State", state.get("state")) if isinstance(state, dict) else state
            if state == "associated":
                associations.append(
                    {
                        "ipv6CidrBlock": association["ipv6CidrBlock"],
                        "associationId": association["associationId"],
                        "ipv6CidrBlockState": {"state": state},
                    }
                )
        return associations

    Subnet.ipv6_cidr_block_association_set = property(ipv6_cidr_block_association_set)  # type: ignore[assignment,method-assign]


@patch
def patch_create_subnet_by_zone_id() -> None:
    """CreateSubnet with AvailabilityZoneId behaves as with the zone's name, as on AWS: stock moto
    files such a subnet under no zone, makes the first one the zone's default subnet (which maps
    public IPv4 addresses on launch: a plan after apply then shows drift) and accepts a zone id of
    any region. An id of another region is refused with AWS's InvalidParameterValue."""

    @_wrap(SubnetBackend, "create_subnet")
    def create_subnet(
        original: Any,
        self: Any,
        vpc_id: str,
        cidr_block: str,
        ipv6_cidr_block: str | None = None,
        availability_zone: str | None = None,
        availability_zone_id: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if availability_zone_id and not availability_zone:
            zones = self.describe_availability_zones()
            match = [zone.name for zone in zones if zone.zone_id == availability_zone_id]
            if not match:
                raise EC2ClientError(
                    "InvalidParameterValue",
                    f"Value ({availability_zone_id}) for parameter availabilityZoneId is invalid. "
                    f"Subnets can currently only be created in the following availability zones: {', '.join(zone.zone_id for zone in zones)}.",
                )
            availability_zone, availability_zone_id = match[0], None
        return original(self, vpc_id, cidr_block, ipv6_cidr_block, availability_zone, availability_zone_id, *args, **kwargs)


# --------------------------------------------------------------------------------------------
# Security group rules
# --------------------------------------------------------------------------------------------


@patch
def patch_security_group_rule_description() -> None:
    """DescribeSecurityGroupRules returns the Description of every rule: stock moto only reads
    it from CIDR rules and drops it from rules that reference a security group or a prefix
    list, so Terraform's aws_vpc_security_group_ingress_rule plans a change on every run."""

    @_wrap(SecurityGroupRule, "__init__")
    def __init__(original: Any, self: SecurityGroupRule, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        prefix_list = kwargs.get("prefix_list_id", args[7] if len(args) > 7 else None)
        self._prefix_list_description = prefix_list.get("Description") if isinstance(prefix_list, dict) else None

    def description(self: SecurityGroupRule) -> str | None:
        return (
            self.ip_range.get("Description")
            or (self.source_group or {}).get("Description")
            or getattr(self, "_prefix_list_description", None)
        )

    SecurityGroupRule.description = property(description)  # type: ignore[assignment,method-assign]


# --------------------------------------------------------------------------------------------
# Endpoint services: private DNS name verification, IP address types, describe output
# --------------------------------------------------------------------------------------------


def _new_dns_configuration() -> dict[str, str]:
    return {
        "Name": "_" + _rand(_ALNUM, 20),
        "Value": "vpce:" + _rand(_ALNUM, 20),
        "Type": "TXT",
        "State": "pendingVerification",
    }


@patch
def patch_service_configuration_model() -> None:
    """CreateVpcEndpointServiceConfiguration gives a private DNS name a real domain ownership
    challenge (Name `_` + 20 random characters, Value `vpce:` + 20, Type TXT, State
    pendingVerification) instead of stock moto's `n`/`val` already `verified`; records
    SupportedIpAddressTypes (default ipv4) and stable permission ids; and makes the describe
    output (ServiceConfiguration and DescribeVpcEndpointServices details) carry them, with Tags."""

    @_wrap(VPCServiceConfiguration, "__init__")
    def __init__(original: Any, self: VPCServiceConfiguration, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.supported_ip_address_types = ["ipv4"]
        self.permission_ids: dict[str, str] = {}
        self.dns_configuration = _new_dns_configuration() if self.private_dns_name else None

    def private_dns_name_configuration(self: VPCServiceConfiguration) -> dict[str, str] | None:
        if not self.private_dns_name or not self.dns_configuration:
            return None
        return dict(self.dns_configuration)

    def to_dict(self: VPCServiceConfiguration) -> dict[str, Any]:
        config = self.private_dns_name_configuration
        return {
            "AcceptanceRequired": self.acceptance_required,
            "AvailabilityZones": self.availability_zones,
            "BaseEndpointDnsNames": [self.endpoint_dns_name],
            "ManagesVpcEndpoints": self.manages_vpc_endpoints,
            "Owner": self.ec2_backend.account_id,
            "PayerResponsibility": "ServiceOwner",
            "PrivateDnsName": self.private_dns_name or None,
            "PrivateDnsNames": [{"PrivateDnsName": self.private_dns_name}] if self.private_dns_name else [],
            "PrivateDnsNameVerificationState": config["State"] if config else None,
            "ServiceId": self.id,
            "ServiceName": self.service_name,
            "ServiceRegion": self.ec2_backend.region_name,
            "ServiceType": [{"ServiceType": self._service_type_name}],
            "SupportedIpAddressTypes": list(self.supported_ip_address_types),
            "Tags": [{"Key": t["key"], "Value": t["value"]} for t in self.get_tags()],
            "VpcEndpointPolicySupported": True,
        }

    def get_filter_value(self: VPCServiceConfiguration, filter_name: str, method_name: str | None = None) -> Any:
        if filter_name == "service-name":
            return self.service_name
        if filter_name == "service-id":
            return self.id
        if filter_name == "service-state":
            return self.service_state
        if filter_name == "supported-ip-address-types":
            return list(self.supported_ip_address_types)
        return super(VPCServiceConfiguration, self).get_filter_value(filter_name, "DescribeVpcEndpointServiceConfigurations")

    VPCServiceConfiguration.private_dns_name_configuration = property(private_dns_name_configuration)  # type: ignore[assignment,method-assign]
    VPCServiceConfiguration.to_dict = to_dict  # type: ignore[method-assign]
    VPCServiceConfiguration.get_filter_value = get_filter_value  # type: ignore[method-assign]


def _ip_types(value: Any) -> list[str]:
    return [str(v).lower() for v in (value or [])]


@patch
def patch_service_configuration_create_modify() -> None:
    """SupportedIpAddressTypes is taken from CreateVpcEndpointServiceConfiguration and changed by
    ModifyVpcEndpointServiceConfiguration (AddSupportedIpAddressTypes /
    RemoveSupportedIpAddressTypes); changing PrivateDnsName issues a new challenge (new Name and
    Value) that is pendingVerification until verified again (RemovePrivateDnsName, or an empty
    name, removes it); DescribeVpcEndpointServiceConfigurations
    honours its Filters (service-name, service-id, service-state, tags)."""

    @_wrap(VPCEndpointServiceConfiguration, "create_vpc_endpoint_service_configuration")
    def create(original: Any, self: Any) -> Any:
        types = _ip_types(self._get_param("SupportedIpAddressTypes", [])) or ["ipv4"]
        _check_ip_types(types)
        result = original(self)
        config = result.result["ServiceConfiguration"]
        config.supported_ip_address_types = sorted(set(types))
        return result

    @_wrap(VPCEndpointServiceConfiguration, "modify_vpc_endpoint_service_configuration")
    def modify(original: Any, self: Any) -> Any:
        config = self.ec2_backend.describe_vpc_endpoint_service_configurations([self._get_param("ServiceId")])[0]
        add = _ip_types(self._get_param("AddSupportedIpAddressTypes", []))
        remove = _ip_types(self._get_param("RemoveSupportedIpAddressTypes", []))
        types = sorted((set(config.supported_ip_address_types) | set(add)) - set(remove))
        _check_ip_types(types)
        new_name = self._get_param("PrivateDnsName")
        remove_name = bool(self._get_param("RemovePrivateDnsName", False))
        old_name = config.private_dns_name
        result = original(self)
        config.supported_ip_address_types = types
        if remove_name or new_name == "":
            config.private_dns_name = None
            config.dns_configuration = None
        elif new_name is not None and (new_name != old_name or config.dns_configuration is None):
            # A new name is a new ownership claim: a new challenge, pending until verified again.
            config.dns_configuration = _new_dns_configuration()
        return result

    @_wrap(VPCEndpointServiceConfiguration, "describe_vpc_endpoint_service_configurations")
    def describe(original: Any, self: Any) -> Any:
        from moto.ec2.utils import generic_filter

        result = original(self)
        filters = self._filters_from_querystring()
        if filters:
            result.result["ServiceConfigurations"] = generic_filter(filters, result.result["ServiceConfigurations"])
        return result


def _check_ip_types(types: list[str]) -> None:
    for t in types:
        if t not in ("ipv4", "ipv6"):
            raise EC2ClientError("InvalidParameterValue", f"Invalid supported IP address type '{t}'. Valid values: ipv4, ipv6.")
    if not types:
        raise InvalidParameter("An endpoint service must support at least one IP address type.")


# --------------------------------------------------------------------------------------------
# Private DNS name verification
# --------------------------------------------------------------------------------------------


def _txt_values(record_set: Any) -> list[str]:
    values = []
    for record in record_set.records or []:
        text = record.get("Value", "") if isinstance(record, dict) else str(record)
        text = text.strip()
        # A TXT value may be split into several quoted strings: "abc" "def" -> abcdef.
        if text.startswith('"') and text.endswith('"'):
            text = text[1:-1].replace('" "', "")
        values.append(text)
    return values


def _verification_record_found(private_dns_name: str, name: str, value: str) -> bool:
    """A TXT record `<name>.<domain>` = value in a public Route 53 zone of the emulator, where
    domain is the private DNS name (without a leading `*.`) or one of its parent domains."""
    from moto.route53.models import route53_backends

    domain = private_dns_name.lower().rstrip(".")
    if domain.startswith("*."):
        domain = domain[2:]
    labels = domain.split(".")
    wanted = {f"{name.lower()}.{'.'.join(labels[i:])}" for i in range(len(labels))}
    for account_backends in list(dict.values(route53_backends)):
        for backend in list(dict.values(account_backends)):
            for zone in list(backend.zones.values()):
                if zone.private_zone:
                    continue
                for record_set in list(zone.rrsets):
                    if record_set.type == "TXT" and record_set.name.lower().rstrip(".") in wanted and value in _txt_values(record_set):
                        return True
    return False


@patch
def patch_start_private_dns_verification() -> None:
    """StartVpcEndpointServicePrivateDnsVerification (not implemented in stock moto: HTTP 500 and
    minutes of SDK retries) checks the emulator's Route 53 for the TXT record that proves
    ownership of the service's private DNS name: found -> State `verified`, else `failed`.
    Returns ReturnValue true, like AWS, which checks asynchronously."""

    def start_vpc_endpoint_service_private_dns_verification(self: Any) -> Any:
        from moto.core.responses import ActionResult

        service_id = self._get_param("ServiceId")
        config = self.ec2_backend.describe_vpc_endpoint_service_configurations([service_id])[0]
        if not config.private_dns_name or not config.dns_configuration:
            raise InvalidParameter(f"The service {service_id} has no private DNS name to verify.")
        dns = config.dns_configuration
        if dns["State"] != "verified":
            found = _verification_record_found(config.private_dns_name, dns["Name"], dns["Value"])
            dns["State"] = "verified" if found else "failed"
        return ActionResult({"ReturnValue": True})

    VPCEndpointServiceConfiguration.start_vpc_endpoint_service_private_dns_verification = (  # type: ignore[attr-defined]
        start_vpc_endpoint_service_private_dns_verification
    )


# --------------------------------------------------------------------------------------------
# Endpoint service permissions
# --------------------------------------------------------------------------------------------


def _allowed_principal(config: VPCServiceConfiguration, principal: str) -> dict[str, Any]:
    return {
        "PrincipalType": _principal_type(principal),
        "Principal": principal,
        "ServicePermissionId": config.permission_ids[principal],
        "ServiceId": config.id,
    }


@patch
def patch_service_permissions() -> None:
    """ModifyVpcEndpointServicePermissions returns AddedPrincipals (Principal, PrincipalType,
    ServicePermissionId `vpce-svc-perm-<hex>`, ServiceId) and DescribeVpcEndpointServicePermissions
    lists AllowedPrincipals with the same fields and ids, stable per principal. Without them
    Terraform's aws_vpc_endpoint_service_allowed_principal fails with "inconsistent result after apply"."""

    def modify_vpc_endpoint_service_permissions(
        self: Any, service_id: str, add_principals: list[str], remove_principals: list[str]
    ) -> list[str]:
        config = self.describe_vpc_endpoint_service_configurations([service_id])[0]
        added = []
        for principal in add_principals:
            if principal not in config.principals:
                config.principals.append(principal)
                config.permission_ids[principal] = "vpce-svc-perm-" + _rand(_HEX, 17)
            added.append(principal)
        for principal in remove_principals:
            if principal in config.principals:
                config.principals.remove(principal)
                config.permission_ids.pop(principal, None)
        return added

    VPCServiceConfigurationBackend.modify_vpc_endpoint_service_permissions = modify_vpc_endpoint_service_permissions  # type: ignore[assignment,method-assign]

    def modify_response(self: Any) -> Any:
        from moto.core.responses import ActionResult

        service_id = self._get_param("ServiceId")
        added = self.ec2_backend.modify_vpc_endpoint_service_permissions(
            service_id, self._get_param("AddAllowedPrincipals", []), self._get_param("RemoveAllowedPrincipals", [])
        )
        config = self.ec2_backend.describe_vpc_endpoint_service_configurations([service_id])[0]
        result: dict[str, Any] = {"ReturnValue": True}
        if added:
            result["AddedPrincipals"] = [_allowed_principal(config, p) for p in added]
        return ActionResult(result)

    def describe_response(self: Any) -> Any:
        from moto.core.responses import ActionResult
        from moto.ec2.utils import generic_filter

        config = self.ec2_backend.describe_vpc_endpoint_service_configurations([self._get_param("ServiceId")])[0]
        principals = [_PrincipalView(_allowed_principal(config, p)) for p in config.principals]
        filters = self._filters_from_querystring()
        if filters:
            principals = generic_filter(filters, principals)
        return ActionResult({"AllowedPrincipals": [p.data for p in principals]})

    VPCEndpointServiceConfiguration.modify_vpc_endpoint_service_permissions = modify_response  # type: ignore[method-assign]
    VPCEndpointServiceConfiguration.describe_vpc_endpoint_service_permissions = describe_response  # type: ignore[method-assign]


class _PrincipalView:
    """Lets moto's generic_filter filter allowed principals by principal / principal-type."""

    def __init__(self, data: dict[str, Any]):
        self.data = data

    def get_filter_value(self, filter_name: str, method_name: str | None = None) -> Any:
        if filter_name == "principal":
            return self.data["Principal"]
        if filter_name == "principal-type":
            return self.data["PrincipalType"]
        raise EC2ClientError("InvalidFilter", f"The filter '{filter_name}' is invalid")


@patch
def patch_delete_service_with_active_connections() -> None:
    """DeleteVpcEndpointServiceConfigurations refuses, per service, while endpoints are still
    connected (pendingAcceptance or available), as AWS does: the service is left in place and
    reported in Unsuccessful."""

    @_wrap(VPCEndpointServiceConfiguration, "delete_vpc_endpoint_service_configurations")
    def delete(original: Any, self: Any) -> Any:
        from moto.core.responses import ActionResult

        service_ids = self._get_param("ServiceIds", [])
        busy = []
        for service_id in service_ids:
            config = self.ec2_backend.configurations.get(service_id)
            if config and any(e.state in ("pendingAcceptance", "pending", "available") for e in _endpoints_of(config)):
                busy.append(service_id)
        if not busy:
            return original(self)
        unsuccessful = [
            {
                "ResourceId": s,
                "Error": {"Code": "ExistingVpcEndpointConnections", "Message": f"Service {s} has existing active VPC Endpoint connections!"},
            }
            for s in busy
        ]
        missing = self.ec2_backend.delete_vpc_endpoint_service_configurations([s for s in service_ids if s not in busy])
        unsuccessful += [
            {"ResourceId": m, "Error": {"Code": "InvalidVpcEndpointService.NotFound", "Message": f"The VpcEndpointService Id '{m}' does not exist"}}
            for m in missing
        ]
        return ActionResult({"Unsuccessful": unsuccessful})


@patch
def patch_describe_vpc_endpoint_services() -> None:
    """DescribeVpcEndpointServices lists, besides AWS services, the emulator's endpoint services
    the caller may connect to (its own, and other accounts' that allow it), with
    SupportedIpAddressTypes, PrivateDnsNameVerificationState and Tags in the details."""
    from operator import itemgetter

    from moto.ec2.exceptions import InvalidNextToken
    from moto.ec2.models.vpcs import MAX_NUMBER_OF_ENDPOINT_SERVICES_RESULTS

    def describe_vpc_endpoint_services(
        self: Any, service_names: list[str], filters: Any, max_results: int, next_token: str | None, region: str
    ) -> dict[str, Any]:
        default_services = self._collect_default_endpoint_services(self.account_id, region)
        custom_services = [
            config.to_dict()
            for backend in _ec2_backends()
            if backend.region_name == region
            for config in list(backend.configurations.values())
            if backend.account_id == self.account_id or _principal_allowed(config, self.account_id)
        ]
        all_services = default_services + custom_services
        known = {s["ServiceName"] for s in all_services}
        for service_name in service_names:
            if service_name not in known:
                raise InvalidServiceName(service_name)
        services = sorted(self._filter_endpoint_services(service_names, filters, all_services), key=itemgetter("ServiceName"))
        start = 0
        if next_token:
            ids = [s["ServiceId"] for s in services]
            if next_token not in ids:
                raise InvalidNextToken(next_token)
            start = ids.index(next_token)
        if not max_results or max_results > MAX_NUMBER_OF_ENDPOINT_SERVICES_RESULTS:
            max_results = MAX_NUMBER_OF_ENDPOINT_SERVICES_RESULTS
        page = services[start : start + max_results]
        following = services[start + max_results]["ServiceId"] if len(services) > start + max_results else None
        return {"servicesDetails": page, "serviceNames": [s["ServiceName"] for s in page], "nextToken": following}

    VPCBackend.describe_vpc_endpoint_services = describe_vpc_endpoint_services  # type: ignore[method-assign]


# --------------------------------------------------------------------------------------------
# Interface endpoints to emulator services
# --------------------------------------------------------------------------------------------


def _region_of(endpoint: VPCEndPoint) -> str:
    return endpoint.ec2_backend.region_name


def _service_of(endpoint: VPCEndPoint) -> VPCServiceConfiguration | None:
    return _find_service(endpoint.service_name)


def _refresh_dns_entries(endpoint: VPCEndPoint, config: VPCServiceConfiguration) -> None:
    """Regional name and one zonal name per subnet AZ; the private DNS name is added when the
    entries are read (see patch_endpoint_private_dns_entry)."""
    region = _region_of(endpoint)
    zone_id = _vpce_hosted_zone_id(region)
    suffix = f"{config.id}.{region}.vpce.amazonaws.com"
    label = f"{endpoint.id}-{endpoint.dns_label}"
    entries = [{"DnsName": f"{label}.{suffix}", "HostedZoneId": zone_id}]
    zones: list[str] = []
    for subnet_id in endpoint.subnet_ids or []:
        az = endpoint.ec2_backend.get_subnet(subnet_id).availability_zone
        if az not in zones:
            zones.append(az)
    entries += [{"DnsName": f"{label}-{az}.{suffix}", "HostedZoneId": zone_id} for az in sorted(zones)]
    endpoint.dns_entries = entries
    endpoint.follows_service_dns = True


@patch
def patch_endpoint_private_dns_entry() -> None:
    """An endpoint with private DNS on lists the service's private DNS name among its DnsEntries
    while that name is verified: AWS keeps a private hosted zone for the consumer's VPC that maps
    the service's current name to the endpoint ("Consumers of the endpoint service can use the
    private name only when the state is verified"). So a renamed private DNS name replaces the
    old one in every such endpoint once the new name is verified, with no change to the endpoint."""

    def get_dns_entries(self: VPCEndPoint) -> Any:
        entries = self.__dict__.get("_dns_entries")
        if not getattr(self, "follows_service_dns", False) or not self.private_dns_enabled:
            return entries
        config = _service_of(self)
        dns = config.dns_configuration if config is not None else None
        if config is None or not config.private_dns_name or not dns or dns["State"] != "verified":
            return entries
        return list(entries or []) + [{"DnsName": config.private_dns_name, "HostedZoneId": _private_hosted_zone_id(self.vpc_id)}]

    def set_dns_entries(self: VPCEndPoint, value: Any) -> None:
        self.__dict__["_dns_entries"] = value

    VPCEndPoint.dns_entries = property(get_dns_entries, set_dns_entries)  # type: ignore[assignment,method-assign]


def _create_endpoint_enis(endpoint: VPCEndPoint, subnet_ids: list[str]) -> list[str]:
    """One requester-managed ENI per subnet, addressed from the subnet (IPv6 too if used)."""
    backend = endpoint.ec2_backend
    ids = []
    for subnet_id in subnet_ids:
        subnet = backend.get_subnet(subnet_id)
        wants_ipv6 = endpoint.ip_address_type in ("dualstack", "ipv6") and bool(subnet.ipv6_cidr_block_associations)
        eni = backend.create_network_interface(
            subnet,
            None,
            group_ids=list(endpoint.security_group_ids),
            description=f"VPC Endpoint Interface {endpoint.id}",
            ipv6_address_count=1 if wants_ipv6 else 0,
        )
        eni.interface_type = "vpc_endpoint"
        eni.requester_managed = True
        endpoint.eni_by_subnet[subnet_id] = eni.id
        ids.append(eni.id)
    return ids


def _check_ip_address_type(config: VPCServiceConfiguration, ip_type: str, subnet_ids: list[str], backend: Any) -> None:
    needed = {"ipv4": {"ipv4"}, "ipv6": {"ipv6"}, "dualstack": {"ipv4", "ipv6"}}.get(ip_type)
    if needed is None:
        raise EC2ClientError("InvalidParameterValue", f"Invalid IP address type '{ip_type}'. Valid values: ipv4, dualstack, ipv6.")
    if not needed <= set(config.supported_ip_address_types):
        raise InvalidParameter(
            f"The VPC endpoint service {config.service_name} does not support the IP address type {ip_type}: "
            f"it supports {', '.join(config.supported_ip_address_types)}."
        )
    if "ipv6" in needed:
        for subnet_id in subnet_ids:
            if not backend.get_subnet(subnet_id).ipv6_cidr_block_associations:
                raise InvalidParameter(f"The IP address type {ip_type} needs subnets with an IPv6 CIDR block: {subnet_id} has none.")


def _check_private_dns(config: VPCServiceConfiguration, endpoint_state: str) -> None:
    """What AWS requires before private DNS can be turned on for an endpoint."""
    if endpoint_state != "available":
        raise InvalidParameter(f"Private DNS can only be enabled after the endpoint connection is accepted by the owner of {config.service_name}")
    if not config.private_dns_name:
        raise InvalidParameter(f"Private DNS can't be enabled because the service {config.service_name} does not provide a private DNS name.")
    state = config.dns_configuration["State"] if config.dns_configuration else "failed"
    if state != "verified":
        raise InvalidParameter(
            f"Private DNS can't be enabled because the service {config.service_name} has not verified the private DNS name "
            f"{config.private_dns_name} (verification state: {state})."
        )


@patch
def patch_vpc_endpoint_model() -> None:
    """VPC endpoints carry IpAddressType and DnsOptions.DnsRecordIpType (default ipv4 / ipv4 for
    interface endpoints), RequesterManaged, ServiceRegion, and the filters AWS accepts
    (vpc-endpoint-id, service-name, vpc-id, ip-address-type)."""

    @_wrap(VPCEndPoint, "__init__")
    def __init__(original: Any, self: VPCEndPoint, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        interface = (self.vpc_endpoint_type or "").lower() == "interface"
        self.ip_address_type = "ipv4" if interface else None
        self.dns_options = {"DnsRecordIpType": "ipv4"} if interface else None
        self.requester_managed = False
        self.service_region = self.ec2_backend.region_name
        self.dns_label = _rand(_ALNUM, 8)
        self.eni_by_subnet: dict[str, str] = {}

    @_wrap(VPCEndPoint, "get_filter_value")
    def get_filter_value(original: Any, self: VPCEndPoint, filter_name: str, method_name: str | None = None) -> Any:
        if filter_name == "vpc-endpoint-id":
            return self.id
        if filter_name == "service-name":
            return self.service_name
        if filter_name == "vpc-id":
            return self.vpc_id
        if filter_name == "ip-address-type":
            return self.ip_address_type
        return original(self, filter_name, method_name)


@patch
def patch_create_vpc_endpoint() -> None:
    """CreateVpcEndpoint to a service of this emulator behaves like AWS:
    - an account that is not an allowed principal gets InvalidServiceName ("The Vpc Endpoint
      Service '<name>' does not exist"), as AWS answers;
    - the endpoint starts `pendingAcceptance` when the service requires acceptance, else `available`;
    - PrivateDnsEnabled=true is refused (InvalidParameter) until the connection is accepted and
      the service's domain verified; the value sent is kept (stock moto forces true);
    - IpAddressType / DnsOptions are stored (checked against the service's supported types);
    - one ENI per subnet and AWS-shaped DnsEntries (regional + one zonal name per AZ).
    Services not created here (com.amazonaws.<region>.s3, ...) keep stock behaviour, except that
    PrivateDnsEnabled, IpAddressType and DnsOptions round-trip."""

    @_wrap(VPCs, "create_vpc_endpoint")
    def create(original: Any, self: Any) -> Any:
        service_name = self._get_param("ServiceName")
        endpoint_type = (self._get_param("VpcEndpointType") or "Gateway").lower()
        sent_private_dns = self._get_param("PrivateDnsEnabled")
        ip_type = self._get_param("IpAddressType")
        dns_options = self._get_param("DnsOptions") or {}
        subnet_ids = self._get_param("SubnetIds", [])
        config = _find_service(service_name) if service_name else None

        if config is not None:
            if not _principal_allowed(config, self.current_account):
                raise InvalidServiceName(service_name)
            if config._service_type_name == "Interface" and endpoint_type != "interface":
                raise InvalidParameter(
                    f"Endpoint type ({endpoint_type.capitalize()}) does not match available service types ([{config._service_type_name}])."
                )
            _check_ip_address_type(config, ip_type or "ipv4", subnet_ids, self.ec2_backend)
            initial_state = "pendingAcceptance" if config.acceptance_required else "available"
            if sent_private_dns is True:
                _check_private_dns(config, initial_state)

        result = original(self)
        endpoint: VPCEndPoint = result.result["VpcEndpoint"]
        if endpoint.vpc_endpoint_type and endpoint.vpc_endpoint_type.lower() == "interface":
            endpoint.ip_address_type = (ip_type or "ipv4").lower()
            default_dns = {"ipv4": "ipv4", "dualstack": "dualstack", "ipv6": "ipv6"}.get(endpoint.ip_address_type, "ipv4")
            endpoint.dns_options = {"DnsRecordIpType": dns_options.get("DnsRecordIpType") or default_dns}
            for key in ("PrivateDnsOnlyForInboundResolverEndpoint",):
                if key in dns_options:
                    endpoint.dns_options[key] = dns_options[key]
        if sent_private_dns is not None:
            endpoint.private_dns_enabled = bool(sent_private_dns)

        if config is not None:
            endpoint.state = initial_state
            if sent_private_dns is None:
                # AWS turns private DNS on by default only when it can.
                endpoint.private_dns_enabled = bool(
                    initial_state == "available" and config.dns_configuration and config.dns_configuration["State"] == "verified"
                )
            if endpoint.vpc_endpoint_type and endpoint.vpc_endpoint_type.lower() == "interface":
                for eni_id in endpoint.network_interface_ids:
                    self.ec2_backend.enis.pop(eni_id, None)
                endpoint.network_interface_ids = _create_endpoint_enis(endpoint, list(endpoint.subnet_ids or []))
                _refresh_dns_entries(endpoint, config)
        return result


@patch
def patch_modify_vpc_endpoint() -> None:
    """ModifyVpcEndpoint applies PrivateDnsEnabled (refused with AWS's InvalidParameter text
    unless the endpoint is `available` and the service's domain `verified`), IpAddressType,
    DnsOptions and ResetPolicy, and keeps ENIs and zonal DNS names in step with
    AddSubnetIds / RemoveSubnetIds and security groups."""

    @_wrap(VPCs, "modify_vpc_endpoint")
    def modify(original: Any, self: Any) -> Any:
        endpoint: VPCEndPoint = self.ec2_backend.get_vpc_end_point(self._get_param("VpcEndpointId"))
        config = _service_of(endpoint)
        private_dns = self._get_param("PrivateDnsEnabled")
        ip_type = self._get_param("IpAddressType")
        dns_options = self._get_param("DnsOptions") or {}
        add_subnets = self._get_param("AddSubnetIds", [])
        remove_subnets = self._get_param("RemoveSubnetIds", [])
        if config is not None:
            subnets = [s for s in (endpoint.subnet_ids or []) if s not in remove_subnets] + list(add_subnets)
            if ip_type or add_subnets:
                _check_ip_address_type(config, (ip_type or endpoint.ip_address_type or "ipv4").lower(), subnets, self.ec2_backend)
            if private_dns is True and not endpoint.private_dns_enabled:
                _check_private_dns(config, endpoint.state)

        result = original(self)

        if private_dns is not None:
            endpoint.private_dns_enabled = bool(private_dns)
        if ip_type:
            endpoint.ip_address_type = ip_type.lower()
        if dns_options.get("DnsRecordIpType"):
            endpoint.dns_options = dict(endpoint.dns_options or {}, DnsRecordIpType=dns_options["DnsRecordIpType"])
        if self._get_param("ResetPolicy"):
            import json

            endpoint.policy_document = json.dumps(VPCEndPoint.DEFAULT_POLICY)

        if config is not None and (endpoint.vpc_endpoint_type or "").lower() == "interface":
            for subnet_id in remove_subnets:
                eni_id = endpoint.eni_by_subnet.pop(subnet_id, None)
                if eni_id:
                    self.ec2_backend.enis.pop(eni_id, None)
            new_subnets = [s for s in add_subnets if s not in endpoint.eni_by_subnet]
            _create_endpoint_enis(endpoint, new_subnets)
            endpoint.network_interface_ids = [endpoint.eni_by_subnet[s] for s in endpoint.subnet_ids or [] if s in endpoint.eni_by_subnet]
            for eni_id in endpoint.network_interface_ids:
                eni = self.ec2_backend.enis.get(eni_id)
                if eni is not None:
                    eni._group_set = [self.ec2_backend.get_security_group_from_id(g) for g in endpoint.security_group_ids]
            _refresh_dns_entries(endpoint, config)
        return result


# --------------------------------------------------------------------------------------------
# Endpoint connections (the service owner's side)
# --------------------------------------------------------------------------------------------


def _connection(config: VPCServiceConfiguration, endpoint: VPCEndPoint) -> dict[str, Any]:
    if not hasattr(endpoint, "connection_id"):
        endpoint.connection_id = "vpce-con-" + _rand(_HEX, 17)
    return {
        "ServiceId": config.id,
        "VpcEndpointId": endpoint.id,
        "VpcEndpointOwner": endpoint.ec2_backend.account_id,
        "VpcEndpointState": endpoint.state,
        "CreationTimestamp": endpoint.creation_timestamp,
        "DnsEntries": [dict(e) for e in (endpoint.dns_entries or []) if isinstance(e, dict)],
        "NetworkLoadBalancerArns": list(config.network_load_balancer_arns),
        "GatewayLoadBalancerArns": list(config.gateway_load_balancer_arns),
        "IpAddressType": endpoint.ip_address_type or "ipv4",
        "VpcEndpointConnectionId": endpoint.connection_id,
        "VpcEndpointRegion": _region_of(endpoint),
    }


class _ConnectionView:
    """Lets moto's generic_filter filter connections by the names AWS accepts."""

    _FILTERS = {
        "service-id": "ServiceId",
        "vpc-endpoint-id": "VpcEndpointId",
        "vpc-endpoint-owner": "VpcEndpointOwner",
        "vpc-endpoint-state": "VpcEndpointState",
        "ip-address-type": "IpAddressType",
        "vpc-endpoint-region": "VpcEndpointRegion",
    }

    def __init__(self, data: dict[str, Any]):
        self.data = data

    def get_filter_value(self, filter_name: str, method_name: str | None = None) -> Any:
        key = self._FILTERS.get(filter_name.strip())
        if key is None:
            raise EC2ClientError("InvalidFilter", f"The filter '{filter_name}' is invalid")
        return self.data[key]


def _answer_connections(self: Any, target_state: str, from_states: tuple[str, ...]) -> Any:
    from moto.core.responses import ActionResult

    service_id = self._get_param("ServiceId")
    config = self.ec2_backend.configurations.get(service_id)
    if config is None:
        raise UnknownVpcEndpointService(service_id)
    endpoints = {e.id: e for e in _endpoints_of(config) if e.state != "deleted"}
    unsuccessful = []
    for endpoint_id in self._get_param("VpcEndpointIds", []):
        endpoint = endpoints.get(endpoint_id)
        if endpoint is None:
            unsuccessful.append(
                {
                    "ResourceId": endpoint_id,
                    "Error": {"Code": "InvalidVpcEndpointId.NotFound", "Message": f"The Vpc Endpoint Id '{endpoint_id}' does not exist"},
                }
            )
        elif endpoint.state == target_state:
            continue
        elif endpoint.state not in from_states:
            unsuccessful.append(
                {
                    "ResourceId": endpoint_id,
                    "Error": {
                        "Code": "InvalidState",
                        "Message": f"Vpc Endpoint {endpoint_id} is in state {endpoint.state}, it must be {' or '.join(from_states)}",
                    },
                }
            )
        else:
            endpoint.state = target_state
    return ActionResult({"Unsuccessful": unsuccessful})


@patch
def patch_endpoint_connections() -> None:
    """AcceptVpcEndpointConnections (pendingAcceptance -> available), RejectVpcEndpointConnections
    (-> rejected) and DescribeVpcEndpointConnections (filters service-id, vpc-endpoint-id,
    vpc-endpoint-owner, vpc-endpoint-state, ip-address-type), none of which stock moto has.
    Unknown endpoints come back in Unsuccessful with InvalidVpcEndpointId.NotFound. Terraform's
    aws_vpc_endpoint_connection_accepter lists the connections of the service and waits for its
    endpoint to be `available`."""

    def accept_vpc_endpoint_connections(self: Any) -> Any:
        return _answer_connections(self, "available", ("pendingAcceptance", "pending"))

    def reject_vpc_endpoint_connections(self: Any) -> Any:
        return _answer_connections(self, "rejected", ("pendingAcceptance", "pending", "available"))

    def describe_vpc_endpoint_connections(self: Any) -> Any:
        from moto.core.responses import ActionResult
        from moto.ec2.utils import generic_filter

        views = [
            _ConnectionView(_connection(config, endpoint))
            for config in list(self.ec2_backend.configurations.values())
            for endpoint in _endpoints_of(config)
        ]
        filters = self._filters_from_querystring()
        if filters:
            views = generic_filter(filters, views)
        return ActionResult({"VpcEndpointConnections": [v.data for v in views]})

    VPCEndpointServiceConfiguration.accept_vpc_endpoint_connections = accept_vpc_endpoint_connections  # type: ignore[attr-defined]
    VPCEndpointServiceConfiguration.reject_vpc_endpoint_connections = reject_vpc_endpoint_connections  # type: ignore[attr-defined]
    VPCEndpointServiceConfiguration.describe_vpc_endpoint_connections = describe_vpc_endpoint_connections  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# Network Load Balancers with security groups
# --------------------------------------------------------------------------------------------


@patch
def patch_nlb_private_link_inbound_rules() -> None:
    """A Network Load Balancer created with security groups carries
    EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic ("on" by default, as on AWS);
    SetSecurityGroups changes it and answers with it, and DescribeLoadBalancers returns it.
    Stock moto knows neither, so Terraform's aws_lb plans the setting again on every run."""
    from moto.elbv2.models import FakeLoadBalancer
    from moto.elbv2.responses import ELBV2Response

    @_wrap(FakeLoadBalancer, "__init__")
    def __init__(original: Any, self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        network = (self.type or "").lower() == "network"
        self.enforce_security_group_inbound_rules_on_private_link_traffic = "on" if network and self.security_groups else None

    @_wrap(ELBV2Response, "set_security_groups")
    def set_security_groups(original: Any, self: Any) -> Any:
        result = original(self)
        balancer = self.elbv2_backend.load_balancers.get(self._get_param("LoadBalancerArn"))
        enforce = self._get_param("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic")
        if balancer is not None and (balancer.type or "").lower() == "network":
            if enforce:
                balancer.enforce_security_group_inbound_rules_on_private_link_traffic = enforce
            result.result["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] = balancer.enforce_security_group_inbound_rules_on_private_link_traffic
        return result
