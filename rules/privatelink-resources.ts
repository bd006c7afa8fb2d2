import { RuleContext } from "./rule";
import { isUnresolved, listOf, referencedId } from "./terraform-json";
import { isAnyAddress as isWholeInternet } from "../modules/validation";

// The PrivateLink relations rules need: which security groups guard interface endpoints, what
// those groups allow, and which ports the provider's listeners serve.

/** Interface endpoints to AWS services (com.amazonaws.<region>.s3 ...) are not PrivateLink services of this app. */
function isAwsServiceEndpoint(endpoint: Record<string, any>): boolean {
  const name = endpoint.service_name;
  return typeof name === "string" && !isUnresolved(name) && name.startsWith("com.amazonaws.") && !name.startsWith("com.amazonaws.vpce.");
}

/**
 * Security groups (aws_security_group logical ids) attached to VPC endpoints, per stack: through
 * the endpoint's security_group_ids or an aws_vpc_endpoint_security_group_association.
 */
export function endpointSecurityGroups(ctx: RuleContext, options: { privateLinkOnly?: boolean } = {}): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  const add = (stack: string, group: string | undefined) => {
    if (group === undefined) return;
    if (!groups.has(stack)) groups.set(stack, new Set());
    groups.get(stack)!.add(group);
  };
  const included = new Set<string>();
  for (const endpoint of ctx.resources("aws_vpc_endpoint")) {
    if (options.privateLinkOnly && isAwsServiceEndpoint(endpoint.config)) continue;
    included.add(`${endpoint.stack}/${endpoint.id}`);
    listOf(endpoint.config.security_group_ids).forEach((v) => add(endpoint.stack, referencedId(v, "aws_security_group")));
  }
  for (const association of ctx.resources("aws_vpc_endpoint_security_group_association")) {
    const endpoint = referencedId(association.config.vpc_endpoint_id, "aws_vpc_endpoint");
    if (endpoint !== undefined && included.has(`${association.stack}/${endpoint}`)) {
      add(association.stack, referencedId(association.config.security_group_id, "aws_security_group"));
    }
  }
  return groups;
}

export type Direction = "ingress" | "egress";

/** One allowed flow of a security group, from a rule resource or an inline block. */
export interface Permission {
  /** "" for a rule resource, "ingress[0]" / "egress[0]" for an inline block of aws_security_group. */
  readonly where: string;
  readonly ipProtocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  readonly ipv4Cidrs: readonly unknown[];
  readonly ipv6Cidrs: readonly unknown[];
}

/** A resource that may hold permissions of an endpoint security group. */
export interface PermissionHolder {
  readonly stack: string;
  readonly address: string;
  /** The endpoint security group the permissions belong to; undefined: not an endpoint group's. */
  readonly endpointGroup?: string;
  readonly permissions: readonly Permission[];
}

/**
 * Every resource that can carry permissions in one direction (aws_vpc_security_group_<direction>_rule,
 * aws_security_group_rule, inline blocks of aws_security_group), tied to the endpoint group it
 * belongs to, if any.
 */
export function permissionHolders(ctx: RuleContext, direction: Direction, groups: Map<string, Set<string>>): PermissionHolder[] {
  const endpointGroup = (stack: string, value: unknown): string | undefined => {
    const id = referencedId(value, "aws_security_group");
    return id !== undefined && groups.get(stack)?.has(id) ? id : undefined;
  };
  const holders: PermissionHolder[] = [];
  for (const r of ctx.resources(`aws_vpc_security_group_${direction}_rule`)) {
    const group = endpointGroup(r.stack, r.config.security_group_id);
    holders.push({
      stack: r.stack,
      address: r.address,
      endpointGroup: group,
      permissions: [
        {
          where: "",
          ipProtocol: r.config.ip_protocol,
          fromPort: r.config.from_port,
          toPort: r.config.to_port,
          ipv4Cidrs: r.config.cidr_ipv4 === undefined ? [] : [r.config.cidr_ipv4],
          ipv6Cidrs: r.config.cidr_ipv6 === undefined ? [] : [r.config.cidr_ipv6],
        },
      ],
    });
  }
  for (const r of ctx.resources("aws_security_group_rule")) {
    if (r.config.type !== direction) continue;
    holders.push({
      stack: r.stack,
      address: r.address,
      endpointGroup: endpointGroup(r.stack, r.config.security_group_id),
      permissions: [inlinePermission("", r.config)],
    });
  }
  for (const r of ctx.resources("aws_security_group")) {
    const group = groups.get(r.stack)?.has(r.id) ? r.id : undefined;
    holders.push({
      stack: r.stack,
      address: r.address,
      endpointGroup: group,
      permissions: listOf(r.config[direction]).map((block, i) => inlinePermission(`${direction}[${i}]`, block as Record<string, any>)),
    });
  }
  return holders;
}

function inlinePermission(where: string, block: Record<string, any>): Permission {
  return {
    where,
    ipProtocol: block.protocol,
    fromPort: block.from_port,
    toPort: block.to_port,
    ipv4Cidrs: listOf(block.cidr_blocks),
    ipv6Cidrs: listOf(block.ipv6_cidr_blocks),
  };
}

export type PortProtocol = "tcp" | "udp";

/** "tcp", "udp", "all" (-1) or another protocol name or number, lowercased. */
export function normalizeProtocol(value: unknown): string {
  const text = String(value).toLowerCase();
  if (text === "6") return "tcp";
  if (text === "17") return "udp";
  if (text === "-1" || text === "all") return "all";
  return text;
}

function listenerProtocols(protocol: unknown): PortProtocol[] {
  switch (typeof protocol === "string" ? protocol.toUpperCase() : undefined) {
    case "TCP":
    case "TLS":
      return ["tcp"];
    case "UDP":
      return ["udp"];
    default: // TCP_UDP, or unknown: both
      return ["tcp", "udp"];
  }
}

/**
 * Ports served by the listeners of load balancers behind endpoint services (every listener of a
 * stack whose endpoint service names its load balancers by ARN only), plus the allowed extra
 * ingress ports; port -> IP protocols.
 */
export function listenerPorts(ctx: RuleContext): Map<number, Set<PortProtocol>> {
  const ports = new Map<number, Set<PortProtocol>>();
  const add = (port: number, protocols: PortProtocol[]) => {
    if (!ports.has(port)) ports.set(port, new Set());
    protocols.forEach((p) => ports.get(port)!.add(p));
  };
  const providerStacks = new Set(ctx.resources("aws_vpc_endpoint_service").map((s) => s.stack));
  for (const stack of providerStacks) {
    const loadBalancers = new Set(
      ctx
        .resources("aws_vpc_endpoint_service", stack)
        .flatMap((s) => listOf(s.config.network_load_balancer_arns).map((arn) => referencedId(arn, "aws_lb", "arn")))
        .filter((id): id is string => id !== undefined),
    );
    for (const listener of ctx.resources("aws_lb_listener", stack)) {
      const lb = referencedId(listener.config.load_balancer_arn, "aws_lb", "arn");
      if (loadBalancers.size > 0 && (lb === undefined || !loadBalancers.has(lb))) continue;
      if (typeof listener.config.port === "number") add(listener.config.port, listenerProtocols(listener.config.protocol));
    }
  }
  (ctx.allow.ingressPorts ?? []).forEach((port) => add(port, ["tcp", "udp"]));
  return ports;
}

/** "TCP 80, TCP 443, UDP 53" */
export function describePorts(ports: Map<number, Set<PortProtocol>>): string {
  return [...ports.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([port, protocols]) => [...protocols].sort().map((p) => `${p.toUpperCase()} ${port}`))
    .join(", ");
}

/** Whether a CIDR (IPv4 or IPv6) covers every address, unless it is still a Terraform expression. */
export function isAnyAddress(cidr: unknown): boolean {
  return typeof cidr === "string" && !isUnresolved(cidr) && isWholeInternet(cidr);
}
