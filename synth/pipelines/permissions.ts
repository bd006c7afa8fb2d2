/**
 * What Terraform needs to be allowed to do for each resource type the stacks can hold: the
 * actions a plan needs (reading: Describe*, Get*, List*) and the ones an apply adds (creating,
 * changing, tagging, deleting), with the resources they are scoped to where AWS allows it.
 *
 * The table is the single source of the pipeline roles' permissions (docs/github-actions-access.md
 * shows it). A resource type the stacks synthesize without an entry here stops the generator,
 * naming the type: add it with the actions the AWS provider calls for it.
 */
import { Condition, Grant } from "./iam-policy";

/** One resource (or data source) of a synthesized stack, as the table scopes its actions. */
export interface ResourceUse {
  readonly type: string;
  /** Its attributes in the stack's Terraform JSON. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The stack's resources (type -> id -> attributes), to follow a reference such as ${aws_iam_role.x.arn}. */
  readonly stackResources: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
}

/** Where a resource is managed: what its ARNs are made of. */
export interface ScopeContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly use: ResourceUse;
}

interface Rule {
  readonly actions: readonly string[];
  /** @default - every resource ("*"): the action has no resource-level permissions */
  readonly resources?: (c: ScopeContext) => string[];
  readonly condition?: (c: ScopeContext) => Condition;
}

export interface PermissionEntry {
  /** The AWS services the actions belong to, for the docs' table. */
  readonly services: readonly string[];
  /** What a plan (refresh) needs. */
  readonly read: readonly Rule[];
  /** What an apply needs beyond reading. */
  readonly write: readonly Rule[];
}

/** A literal string attribute (not a Terraform expression). */
function literal(value: unknown): string | undefined {
  return typeof value === "string" && !value.includes("${") ? value : undefined;
}

/** A name pattern from `name` or `name_prefix`, or "*" when the name is computed. */
function namePattern(attributes: Readonly<Record<string, unknown>>): string {
  const name = literal(attributes.name);
  if (name !== undefined) return name;
  const prefix = literal(attributes.name_prefix);
  return prefix !== undefined ? `${prefix}*` : "*";
}

/** The attributes of the resource an attribute refers to (`${type.id.attr}`), if it is one whole reference. */
function referenced(c: ScopeContext, attribute: string): Readonly<Record<string, unknown>> | undefined {
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(String(c.use.attributes[attribute] ?? ""));
  return m ? c.use.stackResources[m[1]]?.[m[2]] : undefined;
}

const inRegion = (c: ScopeContext): Condition => ({ StringEquals: { "aws:RequestedRegion": c.region } });
const roleArn = (c: ScopeContext, attributes: Readonly<Record<string, unknown>> | undefined) =>
  `arn:${c.partition}:iam::${c.accountId}:role/${attributes ? namePattern(attributes) : "*"}`;
const logGroupArns = (c: ScopeContext) => {
  const group = `arn:${c.partition}:logs:${c.region}:${c.accountId}:log-group:${namePattern(c.use.attributes)}`;
  return [group, `${group}:*`];
};
const hostedZoneArn = (c: ScopeContext) => `arn:${c.partition}:route53:::hostedzone/${literal(c.use.attributes.zone_id) ?? "*"}`;

const prefixed = (service: string, actions: readonly string[]) => actions.map((a) => `${service}:${a}`);
/** Reads of EC2 (no resource-level permissions for Describe*). */
const ec2Read = (...actions: string[]): Rule => ({ actions: prefixed("ec2", actions) });
/** EC2 writes, in the stack's region only (with tags: default_tags tag everything on create). */
const ec2Write = (...actions: string[]): Rule => ({ actions: prefixed("ec2", [...actions, "CreateTags", "DeleteTags"]), condition: inRegion });
const elbRead = (...actions: string[]): Rule => ({ actions: prefixed("elasticloadbalancing", [...actions, "DescribeTags"]) });
const elbWrite = (...actions: string[]): Rule => ({
  actions: prefixed("elasticloadbalancing", [...actions, "AddTags", "RemoveTags"]),
  resources: (c) => [`arn:${c.partition}:elasticloadbalancing:${c.region}:${c.accountId}:*`],
});
const entry = (services: string[], read: Rule[], write: Rule[]): PermissionEntry => ({ services, read, write });

const ROUTE53_ASSOCIATE: Rule = {
  // Private DNS on an interface endpoint associates the endpoint's VPC with AWS's private hosted zone.
  actions: ["route53:AssociateVPCWithHostedZone"],
};

/** Resource type -> the actions Terraform calls for it. Keep sorted by type. */
export const RESOURCE_PERMISSIONS: Readonly<Record<string, PermissionEntry>> = {
  aws_cloudwatch_log_group: entry(
    ["logs"],
    [{ actions: ["logs:DescribeLogGroups"] }, { actions: ["logs:ListTagsForResource", "logs:ListTagsLogGroup"], resources: logGroupArns }],
    [
      {
        actions: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource", "logs:TagLogGroup", "logs:UntagLogGroup"],
        resources: logGroupArns,
      },
    ],
  ),
  aws_default_security_group: entry(["ec2"], [ec2Read("DescribeSecurityGroups")], [ec2Write("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress")]),
  aws_flow_log: entry(
    ["ec2", "logs", "iam"],
    [ec2Read("DescribeFlowLogs")],
    [
      ec2Write("CreateFlowLogs", "DeleteFlowLogs"),
      // Flow logs to S3 are delivered through a log delivery the caller creates.
      { actions: ["logs:CreateLogDelivery", "logs:DeleteLogDelivery"] },
      {
        actions: ["iam:PassRole"],
        resources: (c) => [roleArn(c, referenced(c, "iam_role_arn"))],
        condition: () => ({ StringEquals: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } }),
      },
    ],
  ),
  aws_iam_role: entry(
    ["iam"],
    [{ actions: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole"], resources: (c) => [roleArn(c, c.use.attributes)] }],
    [{ actions: ["iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole"], resources: (c) => [roleArn(c, c.use.attributes)] }],
  ),
  aws_iam_role_policy: entry(
    ["iam"],
    [{ actions: ["iam:GetRolePolicy"], resources: (c) => [roleArn(c, referenced(c, "role"))] }],
    [{ actions: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"], resources: (c) => [roleArn(c, referenced(c, "role"))] }],
  ),
  aws_instance: entry(
    ["ec2"],
    [ec2Read("DescribeInstances", "DescribeInstanceAttribute", "DescribeInstanceTypes", "DescribeImages", "DescribeVolumes", "DescribeInstanceCreditSpecifications", "DescribeNetworkInterfaces", "DescribeTags")],
    [ec2Write("RunInstances", "TerminateInstances", "StartInstances", "StopInstances", "ModifyInstanceAttribute", "ModifyInstanceMetadataOptions")],
  ),
  aws_internet_gateway: entry(["ec2"], [ec2Read("DescribeInternetGateways")], [ec2Write("CreateInternetGateway", "DeleteInternetGateway", "AttachInternetGateway", "DetachInternetGateway")]),
  aws_lb: entry(
    ["elasticloadbalancing", "ec2", "iam"],
    [
      elbRead("DescribeLoadBalancers", "DescribeLoadBalancerAttributes", "DescribeCapacityReservation"),
      // Creating a load balancer checks its subnets and security groups as the caller; deleting one waits for its network interfaces.
      ec2Read("DescribeAccountAttributes", "DescribeAddresses", "DescribeInternetGateways", "DescribeSecurityGroups", "DescribeSubnets", "DescribeVpcs", "DescribeNetworkInterfaces"),
    ],
    [
      elbWrite("CreateLoadBalancer", "DeleteLoadBalancer", "ModifyLoadBalancerAttributes", "ModifyCapacityReservation", "SetSubnets", "SetSecurityGroups", "SetIpAddressType"),
      {
        // The first load balancer of an account creates Elastic Load Balancing's service-linked role.
        actions: ["iam:CreateServiceLinkedRole"],
        resources: (c) => [`arn:${c.partition}:iam::${c.accountId}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`],
        condition: () => ({ StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } }),
      },
    ],
  ),
  aws_lb_listener: entry(
    ["elasticloadbalancing"],
    [elbRead("DescribeListeners", "DescribeListenerAttributes", "DescribeListenerCertificates")],
    [elbWrite("CreateListener", "DeleteListener", "ModifyListener", "ModifyListenerAttributes", "AddListenerCertificates", "RemoveListenerCertificates")],
  ),
  aws_lb_target_group: entry(
    ["elasticloadbalancing"],
    [elbRead("DescribeTargetGroups", "DescribeTargetGroupAttributes")],
    [elbWrite("CreateTargetGroup", "DeleteTargetGroup", "ModifyTargetGroup", "ModifyTargetGroupAttributes")],
  ),
  aws_lb_target_group_attachment: entry(["elasticloadbalancing"], [elbRead("DescribeTargetHealth")], [elbWrite("RegisterTargets", "DeregisterTargets")]),
  aws_route: entry(["ec2"], [ec2Read("DescribeRouteTables")], [ec2Write("CreateRoute", "DeleteRoute", "ReplaceRoute")]),
  aws_route53_record: entry(
    ["route53"],
    [
      { actions: ["route53:ListResourceRecordSets", "route53:GetHostedZone"], resources: (c) => [hostedZoneArn(c)] },
      { actions: ["route53:GetChange"], resources: (c) => [`arn:${c.partition}:route53:::change/*`] },
    ],
    [{ actions: ["route53:ChangeResourceRecordSets"], resources: (c) => [hostedZoneArn(c)] }],
  ),
  aws_route_table: entry(["ec2"], [ec2Read("DescribeRouteTables")], [ec2Write("CreateRouteTable", "DeleteRouteTable", "CreateRoute", "DeleteRoute", "ReplaceRoute")]),
  aws_route_table_association: entry(["ec2"], [ec2Read("DescribeRouteTables")], [ec2Write("AssociateRouteTable", "DisassociateRouteTable", "ReplaceRouteTableAssociation")]),
  aws_security_group: entry(
    ["ec2"],
    [ec2Read("DescribeSecurityGroups", "DescribeSecurityGroupRules", "DescribeNetworkInterfaces")],
    [
      ec2Write(
        "CreateSecurityGroup",
        "DeleteSecurityGroup",
        "AuthorizeSecurityGroupIngress",
        "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
        "UpdateSecurityGroupRuleDescriptionsIngress",
        "UpdateSecurityGroupRuleDescriptionsEgress",
      ),
    ],
  ),
  aws_subnet: entry(
    ["ec2"],
    [ec2Read("DescribeSubnets", "DescribeNetworkInterfaces")],
    [ec2Write("CreateSubnet", "DeleteSubnet", "ModifySubnetAttribute", "AssociateSubnetCidrBlock", "DisassociateSubnetCidrBlock")],
  ),
  aws_vpc: entry(
    ["ec2"],
    [ec2Read("DescribeVpcs", "DescribeVpcAttribute", "DescribeRouteTables", "DescribeSecurityGroups", "DescribeNetworkAcls")],
    [ec2Write("CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AssociateVpcCidrBlock", "DisassociateVpcCidrBlock")],
  ),
  aws_vpc_endpoint: entry(
    ["ec2", "route53"],
    [ec2Read("DescribeVpcEndpoints", "DescribeVpcEndpointServices", "DescribePrefixLists", "DescribeNetworkInterfaces")],
    [ec2Write("CreateVpcEndpoint", "ModifyVpcEndpoint", "DeleteVpcEndpoints"), ROUTE53_ASSOCIATE],
  ),
  aws_vpc_endpoint_connection_accepter: entry(["ec2"], [ec2Read("DescribeVpcEndpointConnections")], [ec2Write("AcceptVpcEndpointConnections", "RejectVpcEndpointConnections")]),
  aws_vpc_endpoint_connection_notification: entry(
    ["ec2"],
    [ec2Read("DescribeVpcEndpointConnectionNotifications")],
    [ec2Write("CreateVpcEndpointConnectionNotification", "ModifyVpcEndpointConnectionNotification", "DeleteVpcEndpointConnectionNotifications")],
  ),
  aws_vpc_endpoint_private_dns: entry(["ec2", "route53"], [ec2Read("DescribeVpcEndpoints")], [ec2Write("ModifyVpcEndpoint"), ROUTE53_ASSOCIATE]),
  aws_vpc_endpoint_service: entry(
    ["ec2", "elasticloadbalancing"],
    [ec2Read("DescribeVpcEndpointServiceConfigurations", "DescribeVpcEndpointServicePermissions"), { actions: ["elasticloadbalancing:DescribeLoadBalancers"] }],
    [ec2Write("CreateVpcEndpointServiceConfiguration", "DeleteVpcEndpointServiceConfigurations", "ModifyVpcEndpointServiceConfiguration", "ModifyVpcEndpointServicePermissions")],
  ),
  aws_vpc_endpoint_service_allowed_principal: entry(["ec2"], [ec2Read("DescribeVpcEndpointServicePermissions")], [ec2Write("ModifyVpcEndpointServicePermissions")]),
  aws_vpc_endpoint_service_private_dns_verification: entry(["ec2"], [ec2Read("DescribeVpcEndpointServiceConfigurations")], [ec2Write("StartVpcEndpointServicePrivateDnsVerification")]),
  aws_vpc_security_group_egress_rule: entry(
    ["ec2"],
    [ec2Read("DescribeSecurityGroupRules")],
    [ec2Write("AuthorizeSecurityGroupEgress", "RevokeSecurityGroupEgress", "ModifySecurityGroupRules", "UpdateSecurityGroupRuleDescriptionsEgress")],
  ),
  aws_vpc_security_group_ingress_rule: entry(
    ["ec2"],
    [ec2Read("DescribeSecurityGroupRules")],
    [ec2Write("AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress", "ModifySecurityGroupRules", "UpdateSecurityGroupRuleDescriptionsIngress")],
  ),
  // Terraform's own resource: no AWS call.
  terraform_data: entry([], [], []),
};

/** Data source type -> the actions reading it needs (plan and apply alike). */
export const DATA_PERMISSIONS: Readonly<Record<string, PermissionEntry>> = {
  aws_availability_zones: entry(["ec2"], [ec2Read("DescribeAvailabilityZones")], []),
  aws_route53_zone: entry(
    ["route53"],
    [{ actions: ["route53:ListHostedZones", "route53:ListHostedZonesByName"] }, { actions: ["route53:GetHostedZone", "route53:ListTagsForResource"], resources: (c) => [hostedZoneArn(c)] }],
    [],
  ),
  aws_ssm_parameter: entry(
    ["ssm"],
    [{ actions: ["ssm:GetParameter"], resources: (c) => [`arn:${c.partition}:ssm:${c.region}:*:parameter${literal(c.use.attributes.name) ?? "/*"}`] }],
    [],
  ),
  aws_subnet: entry(["ec2"], [ec2Read("DescribeSubnets")], []),
  aws_vpc: entry(["ec2"], [ec2Read("DescribeVpcs", "DescribeVpcAttribute", "DescribeRouteTables")], []),
  aws_vpc_endpoint_service: entry(["ec2"], [ec2Read("DescribeVpcEndpointServices")], []),
  // Remote state reads are granted on the state bucket (see the state grants), not here.
  terraform_remote_state: entry([], [], []),
  // HCP Terraform outputs, read with the run's own HCP Terraform token: no AWS call.
  tfe_outputs: entry([], [], []),
};

/** Raised for a resource type the table does not know: the roles would miss its actions. */
export class MissingPermissionsError extends Error {
  constructor(kind: "resource" | "data source", type: string, stack: string) {
    super(
      `stack ${stack} has a ${kind} of type ${type}, which synth/pipelines/permissions.ts has no actions for: add ${type} to ${kind === "resource" ? "RESOURCE_PERMISSIONS" : "DATA_PERMISSIONS"} with the actions the AWS provider calls for it, so the pipeline roles may manage it.`,
    );
    this.name = "MissingPermissionsError";
  }
}

/** The table's entry for a resource or data source type, or an error naming it and its stack. */
export function permissionEntry(kind: "resource" | "data source", type: string, stack: string): PermissionEntry {
  const table = kind === "resource" ? RESOURCE_PERMISSIONS : DATA_PERMISSIONS;
  const found = Object.prototype.hasOwnProperty.call(table, type) ? table[type] : undefined;
  if (!found) throw new MissingPermissionsError(kind, type, stack);
  return found;
}

/** The grants one resource needs: for a plan its reads, for an apply its reads and writes. */
export function grantsFor(entryOf: PermissionEntry, access: "plan" | "apply", c: ScopeContext): Grant[] {
  const rules = access === "plan" ? entryOf.read : [...entryOf.read, ...entryOf.write];
  return rules.map((r) => ({ actions: r.actions, resources: r.resources ? r.resources(c) : ["*"], condition: r.condition?.(c) }));
}

const cell = (rules: readonly Rule[]) => [...new Set(rules.flatMap((r) => r.actions))].sort().map((a) => `\`${a}\``).join(" ") || "-";

/** The table as Markdown rows (resources, then data sources), for docs/github-actions-access.md: a test keeps the doc in step. */
export function permissionsMarkdown(): string {
  const rows = (table: Readonly<Record<string, PermissionEntry>>, kind: string) =>
    Object.entries(table).map(([type, e]) => `| \`${type}\` (${kind}) | ${e.services.join(", ") || "-"} | ${cell(e.read)} | ${cell(e.write)} |`);
  return ["| type | services | plan role (and apply role) | apply role only |", "|---|---|---|---|", ...rows(RESOURCE_PERMISSIONS, "resource"), ...rows(DATA_PERMISSIONS, "data source")].join("\n");
}
