import { TerraformVariable, Token } from "cdktf";
import { ConnectionAccepter } from "../modules/connection-accepter";
import { ConsumerEndpoint, DnsRecordIpType, EndpointIpAddressType, COMPATIBLE_DNS_RECORD_IP_TYPES } from "../modules/consumer-endpoint";
import { DualStackNlb, LoadBalancerIpAddressType } from "../modules/dual-stack-nlb";
import { ConnectionEvent, EndpointService, ServiceIpAddressType } from "../modules/endpoint-service";
import { EndpointPrivateDns } from "../modules/endpoint-private-dns";
import { PrivateDnsVerification } from "../modules/private-dns-verification";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { exprList, exprMap, exprNumber, exprString } from "../modules/terraform-values";
import type { ModuleSpec, VariableSpec } from "./module-stack";
import {
  ACM_CERTIFICATE_FORMAT,
  HealthCheckProtocol,
  ListenerProtocol,
  PORT,
  PORT_TEXT,
  RANGES,
  RULES,
  TargetIpAddressType,
  TargetType,
  inExpr,
  inRangeExpr,
  isAwsIdExpr,
  isAcmCertificateExpr,
  oneOf,
  idFormat,
  rangeText,
  rule,
} from "./rules";

// The Terraform modules built from the constructs: each is a ModuleSpec (its variables with
// their validations, and the constructs it builds with them). The root module and the examples
// compose these (registry/compose.ts).

/** A bool variable where a construct prop is typed boolean (cdktf resolves it as any token). */
const bool = (v: TerraformVariable): boolean => v.booleanValue as unknown as boolean;

const TAGS: VariableSpec = { name: "tags", type: "map(string)", default: "{}", description: "Tags for every resource the module creates that takes tags, on top of the provider's default_tags.", validation: [RULES.tags("tags")] };

export const LISTENER_TYPE = `map(object({
    port            = number
    protocol        = optional(string, "TCP")
    certificate_arn = optional(string)
    ssl_policy      = optional(string)
    alpn_policy     = optional(string)
    target = optional(object({
      port                         = optional(number)
      type                         = optional(string, "instance")
      ip_address_type              = optional(string, "ipv4")
      ids                          = optional(list(string), [])
      proxy_protocol_v2            = optional(bool, false)
      preserve_client_ip           = optional(bool)
      deregistration_delay_seconds = optional(number, 300)
      health_check = optional(object({
        protocol            = optional(string, "TCP")
        port                = optional(number)
        path                = optional(string)
        matcher             = optional(string)
        interval_seconds    = optional(number)
        healthy_threshold   = optional(number)
        unhealthy_threshold = optional(number)
      }), {})
    }), {})
  }))`;

const L = "var.listeners";
const LISTENER_RULES = [
  rule(`length(${L}) > 0`, "listeners: expected at least one listener, such as { https = { port = 443 } }."),
  rule(`alltrue([for k, l in ${L} : can(regex("^[A-Za-z0-9_-]{1,32}$", k))])`, "listeners: expected keys of 1 to 32 letters, digits, '-' and '_' (each key names the listener's resources in Terraform addresses)."),
  rule(`alltrue([for k, l in ${L} : ${PORT("l.port")}])`, `listeners: expected each port ${PORT_TEXT}.`),
  rule(`length(distinct([for k, l in ${L} : l.port])) == length(${L})`, "listeners: expected each port once per load balancer (use TCP_UDP for TCP and UDP on one port)."),
  rule(`alltrue([for k, l in ${L} : ${inExpr(Object.values(ListenerProtocol), "upper(l.protocol)")}])`, `listeners: expected each protocol one of ${oneOf(Object.values(ListenerProtocol))}.`),
  rule(`alltrue([for k, l in ${L} : upper(l.protocol) != "TLS" || (l.certificate_arn != null && ${isAcmCertificateExpr("coalesce(l.certificate_arn, \"\")")})])`, `listeners: expected ${ACM_CERTIFICATE_FORMAT} as certificate_arn of each TLS listener.`),
  rule(`alltrue([for k, l in ${L} : upper(l.protocol) == "TLS" || (l.certificate_arn == null && l.ssl_policy == null && l.alpn_policy == null)])`, "listeners: expected no certificate_arn, ssl_policy or alpn_policy on a listener that is not TLS."),
  rule(`alltrue([for k, l in ${L} : l.target.port == null || ${PORT("coalesce(l.target.port, 1)")}])`, `listeners: expected each target.port ${PORT_TEXT}.`),
  rule(`alltrue([for k, l in ${L} : ${inExpr(Object.values(TargetType), "l.target.type")}])`, `listeners: expected each target.type one of ${oneOf(Object.values(TargetType))}.`),
  rule(`alltrue([for k, l in ${L} : ${inExpr(Object.values(TargetIpAddressType), "l.target.ip_address_type")}])`, `listeners: expected each target.ip_address_type one of ${oneOf(Object.values(TargetIpAddressType))}.`),
  rule(`alltrue([for k, l in ${L} : l.target.ip_address_type != "ipv6" || l.target.type == "ip"])`, 'listeners: expected target.type "ip" where target.ip_address_type is "ipv6": IPv6 targets are registered by IP address.'),
  rule(`var.ip_address_type == "dualstack" || alltrue([for k, l in ${L} : l.target.ip_address_type != "ipv6"])`, 'listeners: expected target.ip_address_type "ipv4", or ip_address_type "dualstack" for IPv6 targets.'),
  rule(`alltrue([for k, l in ${L} : !l.target.proxy_protocol_v2 || contains(["TCP", "TLS"], upper(l.protocol))])`, "listeners: expected proxy_protocol_v2 false on UDP and TCP_UDP listeners: proxy protocol v2 needs TCP or TLS."),
  rule(`alltrue([for k, l in ${L} : ${inRangeExpr("l.target.deregistration_delay_seconds", RANGES.deregistrationDelaySeconds)}])`, `listeners: expected each target.deregistration_delay_seconds ${rangeText(RANGES.deregistrationDelaySeconds)}.`),
  rule(`alltrue([for k, l in ${L} : length(distinct(l.target.ids)) == length(l.target.ids)])`, "listeners: expected each target id once per listener."),
  rule(
    `alltrue(flatten([for k, l in ${L} : [for id in l.target.ids : l.target.type == "instance" ? ${isAwsIdExpr("i", "id")} : l.target.type == "ip" ? (can(cidrhost(format("%s/%d", id, l.target.ip_address_type == "ipv6" ? 128 : 32), 0)) && strcontains(id, ":") == (l.target.ip_address_type == "ipv6")) : true]]))`,
    `listeners: expected target ids that are instance ids (${idFormat("i")}) for target type "instance", and IP addresses of the target's ip_address_type for target type "ip".`,
  ),
  rule(`alltrue([for k, l in ${L} : ${inExpr(Object.values(HealthCheckProtocol), "upper(l.target.health_check.protocol)")}])`, `listeners: expected each target.health_check.protocol one of ${oneOf(Object.values(HealthCheckProtocol))}.`),
  rule(`alltrue([for k, l in ${L} : l.target.health_check.port == null || ${PORT("coalesce(l.target.health_check.port, 1)")}])`, `listeners: expected each target.health_check.port ${PORT_TEXT}.`),
  rule(`alltrue([for k, l in ${L} : l.target.health_check.path == null || (upper(l.target.health_check.protocol) != "TCP" && startswith(coalesce(l.target.health_check.path, "/"), "/"))])`, 'listeners: expected no health_check.path for a TCP health check, and a path starting with "/" for HTTP and HTTPS.'),
  rule(`alltrue([for k, l in ${L} : l.target.health_check.interval_seconds == null || ${inRangeExpr("coalesce(l.target.health_check.interval_seconds, 30)", RANGES.healthCheckIntervalSeconds)}])`, `listeners: expected each health_check.interval_seconds ${rangeText(RANGES.healthCheckIntervalSeconds)}.`),
  rule(
    `alltrue(flatten([for k, l in ${L} : [for t in [l.target.health_check.healthy_threshold, l.target.health_check.unhealthy_threshold] : t == null || ${inRangeExpr("coalesce(t, 3)", RANGES.healthCheckThreshold)}]]))`,
    `listeners: expected each health_check.healthy_threshold and unhealthy_threshold ${rangeText(RANGES.healthCheckThreshold)}.`,
  ),
];

export const SERVICE_VARIABLES: readonly VariableSpec[] = [
  {
    name: "name",
    type: "string",
    default: "null",
    description: "Name of the load balancer (at most 32 letters, digits and hyphens); target groups get Name tags <name>-<listener key>. Null lets Terraform generate one.",
    validation: [rule(`var.name == null || (can(regex("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$", coalesce(var.name, "x"))) && !startswith(coalesce(var.name, "x"), "internal-"))`, 'name: expected 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen nor starting with "internal-".')],
  },
  { name: "vpc_id", type: "string", example: '"vpc-0123456789abcdef0"', description: "VPC of the load balancer and its target groups (vpc-...).", validation: [RULES.vpcId("vpc_id")] },
  { name: "subnet_ids", type: "list(string)", example: '["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]', description: "Subnets of the load balancer, one per Availability Zone; they need IPv6 CIDRs for a dual-stack load balancer. Consumers can only use these zones.", validation: RULES.subnetIds("subnet_ids") },
  {
    name: "ip_address_type",
    type: "string",
    default: `"${LoadBalancerIpAddressType.DUALSTACK}"`,
    description: "IP address type of the load balancer: dualstack lets the endpoint service support IPv6 consumers.",
    validation: [rule(inExpr(Object.values(LoadBalancerIpAddressType), "var.ip_address_type"), `ip_address_type: expected one of ${oneOf(Object.values(LoadBalancerIpAddressType))}.`)],
  },
  {
    name: "listeners",
    type: LISTENER_TYPE,
    example: '{ https = { port = 443, target = { port = 8443, ids = ["i-0123456789abcdef0"] } } }',
    description:
      "Listeners by name (the name keys their resources, so a port can move without replacing the listener): port, protocol (TCP, TLS, UDP or TCP_UDP), TLS settings, and the target group's settings and targets (ids of instances or IP addresses).",
    validation: LISTENER_RULES,
  },
  { name: "cross_zone_enabled", type: "bool", default: "true", description: "Spread traffic over targets in every zone." },
  { name: "deletion_protection", type: "bool", default: "true", description: "Protect the load balancer from deletion: deleting or replacing it cuts every consumer. Set false before destroying the module." },
  { name: "acceptance_required", type: "bool", default: "true", description: "Each consumer's connection waits for the provider to accept it (modules/acceptance)." },
  { name: "allowed_principals", type: "list(string)", default: "[]", description: 'IAM principals allowed to create endpoints to the service (arn:aws:iam::<account>:root, a role or user ARN, or "*"), one resource each, keyed by principal.', validation: RULES.principals("allowed_principals") },
  {
    name: "supported_ip_address_types",
    type: "list(string)",
    default: `["${ServiceIpAddressType.IPV4}"]`,
    description: "IP address types consumers' endpoints may use: ipv4, ipv6 or both; ipv6 needs a dualstack load balancer.",
    validation: [
      rule(`length(var.supported_ip_address_types) > 0 && alltrue([for t in var.supported_ip_address_types : ${inExpr(Object.values(ServiceIpAddressType), "t")}])`, `supported_ip_address_types: expected ${oneOf(Object.values(ServiceIpAddressType))} or both.`),
      rule("length(distinct(var.supported_ip_address_types)) == length(var.supported_ip_address_types)", "supported_ip_address_types: expected each IP address type once."),
      rule(`!contains(var.supported_ip_address_types, "ipv6") || var.ip_address_type == "dualstack"`, 'supported_ip_address_types: expected no "ipv6" unless ip_address_type is "dualstack".'),
    ],
  },
  {
    name: "private_dns_name",
    type: "string",
    default: "null",
    description: "Name consumers resolve through private DNS, such as api.example.com or *.example.com. Its domain must be verified: see the private_dns_verification_* outputs and modules/private-dns-verification.",
    validation: [RULES.domain("private_dns_name", true), rule(`var.private_dns_name == null || !endswith(coalesce(var.private_dns_name, "x"), ".")`, "private_dns_name: expected the name without its trailing dot: AWS takes it as written.")],
  },
  { name: "supported_regions", type: "list(string)", default: "[]", description: "Other regions whose consumers may connect (cross-region PrivateLink); empty for the service's own region only.", validation: RULES.regions("supported_regions") },
  {
    name: "connection_notification",
    type: `object({
    topic_arn = string
    events    = optional(list(string), [${Object.values(ConnectionEvent).map((e) => `"${e}"`).join(", ")}])
  })`,
    default: "null",
    description: "Send endpoint connection events to an SNS topic: its ARN and the events (Connect, Accept, Reject, Delete; all four by default). Null for no notifications.",
    validation: [
      rule(`var.connection_notification == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:.+$", try(var.connection_notification.topic_arn, "")))`, "connection_notification: expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>) as topic_arn."),
      rule(`var.connection_notification == null || (length(try(var.connection_notification.events, [])) > 0 && alltrue([for e in try(var.connection_notification.events, []) : ${inExpr(Object.values(ConnectionEvent), "e")}]))`, `connection_notification: expected events of one or more of ${oneOf(Object.values(ConnectionEvent))}.`),
    ],
  },
  TAGS,
];

/** modules/service: the internal dual-stack NLB and the VPC endpoint service on it. */
export const SERVICE_MODULE: ModuleSpec = {
  name: "service",
  title: "PrivateLink service: internal dual-stack NLB and VPC endpoint service",
  description:
    "The provider side of PrivateLink: an internal Network Load Balancer (dual-stack by default) with its own security group and one listener and target group per entry of `listeners`, and a VPC endpoint service on it with its allowed principals, supported IP address types, private DNS name, supported regions and connection notifications. Acceptance is required unless you turn it off. The private DNS name's verification challenge comes out as outputs for modules/private-dns-verification.",
  constructs: ["DualStackNlb", "EndpointService"],
  variables: SERVICE_VARIABLES,
  build: (stack) => {
    const v = (name: string) => stack.variable(name);
    const tags = Token.asStringMap(v("tags").value);
    const nlb = new DualStackNlb(stack, "nlb", {
      name: v("name").stringValue,
      vpcId: v("vpc_id").stringValue,
      subnetIds: v("subnet_ids").listValue,
      ipAddressType: v("ip_address_type").stringValue as LoadBalancerIpAddressType,
      listeners: v("listeners").value,
      crossZoneEnabled: bool(v("cross_zone_enabled")),
      deletionProtection: bool(v("deletion_protection")),
      tags,
    });
    const service = new EndpointService(stack, "endpoint_service", {
      networkLoadBalancerArns: [nlb.loadBalancerArn],
      acceptanceRequired: bool(v("acceptance_required")),
      allowedPrincipals: v("allowed_principals").listValue,
      supportedIpAddressTypes: v("supported_ip_address_types").listValue as ServiceIpAddressType[],
      privateDnsName: v("private_dns_name").stringValue,
      // An empty list is left unset: AWS reports no supported regions as none.
      supportedRegions: exprList("length(var.supported_regions) == 0 ? null : var.supported_regions"),
      connectionNotification: {
        enabled: Token.asAny("${var.connection_notification != null}") as unknown as boolean,
        topicArn: exprString("try(var.connection_notification.topic_arn, null)"),
        events: exprList("try(var.connection_notification.events, [])") as ConnectionEvent[],
      },
      tags,
    });
    const listener = nlb.listeners[0].fqn;
    return [
      { name: "service_id", description: "Id of the endpoint service (vpce-svc-...): modules/acceptance and modules/private-dns-verification take it.", value: service.serviceId },
      { name: "service_name", description: "Name consumers create endpoints to (com.amazonaws.vpce.<region>.vpce-svc-...): modules/consumer-endpoint takes it.", value: service.serviceName },
      { name: "service_arn", description: "ARN of the endpoint service.", value: service.serviceArn },
      { name: "availability_zones", description: "Availability Zones the service is available in (names in the provider's account).", value: service.availabilityZones },
      { name: "supported_ip_address_types", description: "IP address types the service supports.", value: service.supportedIpAddressTypes },
      { name: "acceptance_required", description: "Whether consumers' connections wait for acceptance.", value: bool(v("acceptance_required")) },
      { name: "private_dns_name", description: "The service's private DNS name, or null.", value: v("private_dns_name").stringValue },
      { name: "private_dns_verification_name", description: "Name of the TXT record that proves the private DNS name's domain (empty without a private DNS name): modules/private-dns-verification takes it.", value: service.privateDnsVerificationName },
      { name: "private_dns_verification_value", description: "Value of that TXT record (empty without a private DNS name).", value: service.privateDnsVerificationValue },
      { name: "private_dns_verification_type", description: 'Type of that record, "TXT" (empty without a private DNS name).', value: service.privateDnsVerificationType },
      { name: "private_dns_verification_state", description: "pendingVerification, verified or failed (empty without a private DNS name).", value: service.privateDnsVerificationState },
      { name: "load_balancer_arn", description: "ARN of the Network Load Balancer.", value: nlb.loadBalancerArn },
      { name: "load_balancer_dns_name", description: "DNS name of the Network Load Balancer (for clients inside the VPC, not through PrivateLink).", value: nlb.dnsName },
      { name: "security_group_id", description: "Id of the load balancer's own security group: reference it in the targets' groups, so that only the load balancer reaches them.", value: nlb.securityGroupId },
      { name: "listener_ports", description: "Listener name -> { port, protocol }: modules/consumer-endpoint takes it as ports.", value: exprMap(`{ for k, l in ${listener} : k => { port = l.port, protocol = l.protocol } }`) },
      { name: "listener_arns", description: "Listener name -> listener ARN.", value: exprMap(`{ for k, l in ${listener} : k => l.arn }`) },
      { name: "target_group_arns", description: "Listener name -> target group ARN, to register more targets.", value: exprMap(`{ for k, g in ${nlb.targetGroups[0].fqn} : k => g.arn }`) },
    ];
  },
};

/** modules/private-dns-verification: the TXT record in Route 53, then verification. */
export const VERIFICATION_MODULE: ModuleSpec = {
  name: "private-dns-verification",
  constructs: ["PrivateDnsVerification"],
  title: "PrivateLink private DNS verification in Route 53",
  description:
    "Proves ownership of an endpoint service's private DNS name: writes the TXT record named from the service's own verification name and value in a public Route 53 hosted zone, starts the verification and waits until the domain is verified. A new private DNS name (a new challenge) writes the new record and starts verification again. Give it the private_dns_verification_* outputs of modules/service.",
  variables: [
    { name: "service_id", type: "string", example: "module.service.service_id", description: "Id of the endpoint service (vpce-svc-...): modules/service's service_id.", validation: [RULES.endpointServiceId("service_id")] },
    { name: "private_dns_name", type: "string", example: '"api.example.com"', description: "The service's private DNS name, such as api.example.com or *.example.com.", validation: [rule(`var.private_dns_name != null`, "private_dns_name: expected the service's private DNS name."), RULES.domain("private_dns_name", true)] },
    { name: "verification_name", type: "string", example: "module.service.private_dns_verification_name", description: "The service's verification name: modules/service's private_dns_verification_name.", validation: [rule("length(var.verification_name) > 0", "verification_name: expected the service's verification name (empty: the service has no private DNS name).")] },
    { name: "verification_value", type: "string", example: "module.service.private_dns_verification_value", description: "The service's verification value: modules/service's private_dns_verification_value.", validation: [rule("length(var.verification_value) > 0", "verification_value: expected the service's verification value.")] },
    {
      name: "hosted_zone_id",
      type: "string",
      default: "null",
      example: '"Z0123456789ABCDEFGHIJ"',
      description: "Id of the public Route 53 hosted zone that holds the record: the private DNS name's domain or a parent of it (it may be in another account: pass that account's provider as aws). Give it or hosted_zone_name.",
      validation: [
        rule('var.hosted_zone_id == null ? true : can(regex("^[A-Z0-9]{1,32}$", var.hosted_zone_id))', "hosted_zone_id: expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (without /hostedzone/)."),
        rule("(var.hosted_zone_id == null) != (var.hosted_zone_name == null)", "hosted_zone_id: expected exactly one of hosted_zone_id and hosted_zone_name."),
      ],
    },
    {
      name: "hosted_zone_name",
      type: "string",
      default: "null",
      description: "Name of that public hosted zone, such as example.com, looked up when hosted_zone_id is not given.",
      validation: [
        RULES.domain("hosted_zone_name", false),
        rule(
          `var.hosted_zone_name == null ? true : contains([lower(trimsuffix(var.hosted_zone_name, "."))], lower(local_domain)) || endswith(lower(local_domain), ".\${lower(trimsuffix(var.hosted_zone_name, "."))}")`.replace(/local_domain/g, 'coalesce(var.record_domain, trimprefix(var.private_dns_name, "*."))'),
          "hosted_zone_name: expected the zone that holds the record's domain (that name or a parent domain of it).",
        ),
      ],
    },
    { name: "record_domain", type: "string", default: "null", description: "Domain under which the TXT record goes: the private DNS name's domain or a parent of it. Null for the private DNS name without a leading \"*.\".", validation: [RULES.domain("record_domain", false)] },
    { name: "ttl", type: "number", default: "300", description: "TTL of the TXT record in seconds.", validation: [rule("floor(var.ttl) == var.ttl && var.ttl >= 0 && var.ttl <= 2147483647", "ttl: expected a whole number of seconds, 0 or more.")] },
    { name: "wait_for_verification", type: "bool", default: "true", description: "Wait until the domain is verified (up to the provider's timeout) instead of returning once verification starts." },
  ],
  build: (stack) => {
    const v = (name: string) => stack.variable(name);
    // The zone by name when no id is given (the construct looks a zone up for a written name only).
    const zone = new DataAwsRoute53Zone(stack, "hosted_zone", { count: exprNumber("var.hosted_zone_name == null ? 0 : 1"), name: v("hosted_zone_name").stringValue, privateZone: false });
    const verification = new PrivateDnsVerification(stack, "verification", {
      serviceId: v("service_id").stringValue,
      privateDnsName: v("private_dns_name").stringValue,
      verificationName: v("verification_name").stringValue,
      verificationValue: v("verification_value").stringValue,
      recordDomain: exprString(`coalesce(var.record_domain, trimprefix(var.private_dns_name, "*."))`),
      hostedZone: { zoneId: exprString(`var.hosted_zone_id != null ? var.hosted_zone_id : one(${zone.fqn}[*].zone_id)`) },
      ttl: v("ttl").numberValue,
      startVerification: true,
      waitForVerification: bool(v("wait_for_verification")),
    });
    return [
      { name: "record_fqdn", description: "Fully qualified name of the TXT record.", value: verification.recordFqdn },
      { name: "record_type", description: 'Type of the record, "TXT".', value: verification.recordType },
      { name: "record_value", description: "Value of the TXT record.", value: verification.recordValue },
      { name: "service_id", description: "Id of the verified endpoint service, read once verification has started: depend on it to wait for the verification.", value: verification.verification!.serviceId },
    ];
  },
};

const ENDPOINT_TYPES = Object.values(EndpointIpAddressType);
const DNS_TYPES = Object.values(DnsRecordIpType);

/** modules/consumer-endpoint: the interface endpoint and its least-privilege security group. */
export const CONSUMER_MODULE: ModuleSpec = {
  name: "consumer-endpoint",
  constructs: ["ConsumerEndpoint"],
  title: "PrivateLink consumer: interface endpoint with a least-privilege security group",
  description:
    "The consumer side of PrivateLink: an interface VPC endpoint to an endpoint service, dual-stack if you ask for it, with its own security group that admits only the given clients and only on the service's ports (no egress rule, no 0.0.0.0/0 or ::/0 unless you allow it). Before creating the endpoint, Terraform checks that every subnet lies in a zone the service serves, by zone id. Outputs the regional and zonal DNS names.",
  variables: [
    { name: "service_name", type: "string", example: "module.service.service_name", description: "Name of the endpoint service (com.amazonaws.vpce.<region>.vpce-svc-...): modules/service's service_name.", validation: [rule(`can(regex("^(com\\\\.amazonaws\\\\.|aws\\\\.)[a-z0-9.-]+$", var.service_name))`, "service_name: expected an endpoint service name such as com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0.")] },
    { name: "vpc_id", type: "string", example: '"vpc-0fedcba9876543210"', description: "VPC the endpoint's network interfaces are created in (vpc-...).", validation: [RULES.vpcId("vpc_id")] },
    { name: "subnet_ids", type: "list(string)", example: '["subnet-0fedcba9876543210"]', description: "One subnet per Availability Zone where the endpoint gets a network interface; each must be in a zone the service serves.", validation: RULES.subnetIds("subnet_ids") },
    {
      name: "ports",
      example: "module.service.listener_ports",
      type: `map(object({
    port     = number
    protocol = optional(string, "TCP")
  }))`,
      description: "The service's listeners by name, { port, protocol }: the only ports the security group opens (modules/service's listener_ports). The name keys the rules, so a moved port is updated in place.",
      validation: [
        rule("length(var.ports) > 0", "ports: expected at least one of the service's listener ports, such as { https = { port = 443 } }."),
        rule(`alltrue([for k, p in var.ports : ${PORT("p.port")}])`, `ports: expected each port ${PORT_TEXT}.`),
        rule(`alltrue([for k, p in var.ports : ${inExpr(Object.values(ListenerProtocol), "upper(p.protocol)")}])`, `ports: expected each protocol one of ${oneOf(Object.values(ListenerProtocol))}.`),
        rule("length(distinct([for k, p in var.ports : p.port])) == length(var.ports)", "ports: expected each port once."),
        rule(`alltrue([for k, p in var.ports : can(regex("^[A-Za-z0-9_-]{1,32}$", k))])`, "ports: expected names of 1 to 32 letters, digits, '-' and '_' (each names the port's rules in Terraform addresses)."),
      ],
    },
    { name: "allowed_security_group_ids", type: "list(string)", default: "[]", description: "Client security groups (in the endpoint's VPC or a peered one) admitted on the service's ports.", validation: [...RULES.securityGroupIds("allowed_security_group_ids"), rule("length(var.allowed_security_group_ids) + length(var.allowed_ipv4_cidrs) + length(var.allowed_ipv6_cidrs) > 0", "allowed_security_group_ids: expected at least one client in allowed_security_group_ids, allowed_ipv4_cidrs or allowed_ipv6_cidrs: the endpoint admits nobody else.")] },
    { name: "allowed_ipv4_cidrs", type: "list(string)", default: "[]", description: "Client IPv4 CIDR blocks admitted on the service's ports.", validation: RULES.cidrs("allowed_ipv4_cidrs", "ipv4", "a narrower CIDR than the whole internet, or allow_any_address = true") },
    {
      name: "allowed_ipv6_cidrs",
      type: "list(string)",
      default: "[]",
      description: "Client IPv6 CIDR blocks admitted on the service's ports; they need a dualstack or ipv6 endpoint.",
      validation: [...RULES.cidrs("allowed_ipv6_cidrs", "ipv6", "a narrower CIDR than the whole internet, or allow_any_address = true"), rule(`var.ip_address_type != "ipv4" || length(var.allowed_ipv6_cidrs) == 0`, 'allowed_ipv6_cidrs: expected no IPv6 sources for an ipv4 endpoint (set ip_address_type to "dualstack" or "ipv6").')],
    },
    { name: "allow_any_address", type: "bool", default: "false", description: "Accept 0.0.0.0/0 and ::/0 in the CIDR lists; without it they are refused." },
    { name: "ip_address_type", type: "string", default: `"${EndpointIpAddressType.IPV4}"`, description: "IP address type of the endpoint's network interfaces: ipv4, dualstack (needs a service that supports both and dual-stack subnets) or ipv6.", validation: [rule(inExpr(ENDPOINT_TYPES, "var.ip_address_type"), `ip_address_type: expected one of ${oneOf(ENDPOINT_TYPES)}.`)] },
    {
      name: "dns_record_ip_type",
      type: "string",
      default: "null",
      description: "Records the endpoint's DNS names get: ipv4 (A), dualstack (A and AAAA), ipv6 (AAAA) or service-defined. Null for the records that match ip_address_type.",
      validation: [
        rule(`var.dns_record_ip_type == null || ${inExpr(DNS_TYPES, 'coalesce(var.dns_record_ip_type, "ipv4")')}`, `dns_record_ip_type: expected one of ${oneOf(DNS_TYPES)}.`),
        rule(
          `var.dns_record_ip_type == null || contains(lookup(${JSON.stringify(COMPATIBLE_DNS_RECORD_IP_TYPES).replace(/":/g, '" = ').replace(/,"/g, ', "')}, var.ip_address_type, []), coalesce(var.dns_record_ip_type, "ipv4"))`,
          `dns_record_ip_type: expected ${ENDPOINT_TYPES.map((t) => `${COMPATIBLE_DNS_RECORD_IP_TYPES[t].join(" or ")} for an ${t} endpoint`).join("; ")}.`,
        ),
      ],
    },
    {
      name: "private_dns_enabled",
      type: "bool",
      default: "false",
      description:
        "Resolve the service's private DNS name to this endpoint from creation: for a service that does not require acceptance and whose domain is verified. Otherwise leave it false and turn private DNS on with modules/endpoint-private-dns once the connection is accepted: after creation this module leaves the setting to that one.",
    },
    { name: "additional_security_group_ids", type: "list(string)", default: "[]", description: "More security groups to attach besides the endpoint's own.", validation: RULES.securityGroupIds("additional_security_group_ids") },
    TAGS,
  ],
  build: (stack) => {
    const v = (name: string) => stack.variable(name);
    const endpoint = new ConsumerEndpoint(stack, "endpoint", {
      serviceName: v("service_name").stringValue,
      vpcId: v("vpc_id").stringValue,
      subnetIds: v("subnet_ids").listValue,
      ports: v("ports").value,
      allowFrom: { securityGroupIds: v("allowed_security_group_ids").listValue, ipv4Cidrs: v("allowed_ipv4_cidrs").listValue, ipv6Cidrs: v("allowed_ipv6_cidrs").listValue, allowAnyAddress: bool(v("allow_any_address")) },
      ipAddressType: v("ip_address_type").stringValue as EndpointIpAddressType,
      // The default record type has the IP address type's name.
      dnsRecordIpType: exprString("coalesce(var.dns_record_ip_type, var.ip_address_type)") as DnsRecordIpType,
      privateDnsEnabled: bool(v("private_dns_enabled")),
      additionalSecurityGroupIds: v("additional_security_group_ids").listValue,
      tags: Token.asStringMap(v("tags").value),
    });
    // Private DNS is set at creation; modules/endpoint-private-dns owns it afterwards.
    endpoint.endpoint.lifecycle = { ...endpoint.endpoint.lifecycle, ignoreChanges: ["private_dns_enabled"] };
    return [
      { name: "endpoint_id", description: "Id of the interface endpoint (vpce-...): modules/acceptance and modules/endpoint-private-dns take it.", value: endpoint.endpointId },
      { name: "endpoint_state", description: "State of the endpoint: pendingAcceptance until the provider accepts it, then available.", value: endpoint.endpointState },
      { name: "dns_names", description: "Regional DNS names of the endpoint.", value: endpoint.dnsNames },
      { name: "zonal_dns_names", description: "Availability Zone -> zonal DNS name of the endpoint.", value: endpoint.zonalDnsNames },
      { name: "network_interface_ids", description: "Ids of the endpoint's network interfaces, one per subnet.", value: endpoint.networkInterfaceIds },
      { name: "security_group_id", description: "Id of the endpoint's own security group.", value: endpoint.securityGroupId },
    ];
  },
};

/** modules/acceptance: the provider accepts consumers' connections. */
export const ACCEPTANCE_MODULE: ModuleSpec = {
  name: "acceptance",
  constructs: ["ConnectionAccepter"],
  title: "PrivateLink connection acceptance",
  description:
    "The provider accepts consumers' endpoint connections to a service that requires acceptance: one aws_vpc_endpoint_connection_accepter per endpoint, keyed by the name you give it, so that adding or removing a consumer leaves the others alone. Run it with the provider account's credentials.",
  variables: [
    { name: "service_id", type: "string", example: "module.service.service_id", description: "Id of the endpoint service (vpce-svc-...): modules/service's service_id.", validation: [RULES.endpointServiceId("service_id")] },
    {
      name: "endpoint_ids",
      type: "map(string)",
      example: "{ orders = module.consumer_endpoint.endpoint_id }",
      description: "Consumer endpoints to accept: a stable name (letters, digits, '-' and '_') -> endpoint id (vpce-...), such as modules/consumer-endpoint's endpoint_id.",
      validation: [
        rule("length(var.endpoint_ids) > 0", "endpoint_ids: expected at least one endpoint id (vpce-0123456789abcdef0)."),
        rule(`alltrue([for k, id in var.endpoint_ids : can(regex("^[A-Za-z0-9_-]+$", k))])`, "endpoint_ids: expected names of letters, digits, '-' and '_'."),
        rule(`alltrue([for k, id in var.endpoint_ids : can(regex("^vpce-[0-9a-f]+$", id))])`, "endpoint_ids: expected each value an endpoint id (vpce-0123456789abcdef0)."),
      ],
    },
  ],
  build: (stack) => {
    const accepter = new ConnectionAccepter(stack, "acceptance", { serviceId: stack.variable("service_id").stringValue, endpointIds: Token.asStringMap(stack.variable("endpoint_ids").value) });
    const resource = accepter.accepters[0].fqn;
    return [
      { name: "accepted_endpoint_ids", description: "Name -> id of each accepted endpoint.", value: exprMap(`{ for k, a in ${resource} : k => a.vpc_endpoint_id }`) },
      { name: "endpoint_states", description: "Name -> state of each endpoint's connection (available once accepted).", value: exprMap(`{ for k, a in ${resource} : k => a.vpc_endpoint_state }`) },
    ];
  },
};

/** modules/endpoint-private-dns: private DNS on an existing endpoint, after acceptance. */
export const PRIVATE_DNS_MODULE: ModuleSpec = {
  name: "endpoint-private-dns",
  constructs: ["EndpointPrivateDns"],
  title: "PrivateLink private DNS on a consumer endpoint",
  description:
    "Turns private DNS on (or off) for an existing interface endpoint. AWS refuses this until the provider has accepted the connection and verified the domain, so it is a step of its own: run it with the consumer account's credentials after modules/acceptance and modules/private-dns-verification (depends_on them when they are in the same configuration).",
  variables: [
    { name: "endpoint_id", type: "string", example: "module.consumer_endpoint.endpoint_id", description: "Id of the interface endpoint (vpce-...): modules/consumer-endpoint's endpoint_id.", validation: [RULES.endpointId("var.endpoint_id", "endpoint_id")] },
    { name: "enabled", type: "bool", default: "true", description: "Turn private DNS on (true) or off (false)." },
  ],
  build: (stack) => {
    const dns = new EndpointPrivateDns(stack, "private_dns", { endpointId: stack.variable("endpoint_id").stringValue, enabled: bool(stack.variable("enabled")) });
    return [
      { name: "endpoint_id", description: "Id of the endpoint.", value: dns.endpointId },
      { name: "private_dns_enabled", description: "Whether private DNS is on for the endpoint.", value: dns.resource.privateDnsEnabled },
    ];
  },
};

export const SUBMODULES: readonly ModuleSpec[] = [SERVICE_MODULE, VERIFICATION_MODULE, CONSUMER_MODULE, ACCEPTANCE_MODULE, PRIVATE_DNS_MODULE];
