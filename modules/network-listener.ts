import { TerraformResource } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { DIRECT_CLIENTS, admitClients, canonicalSourceKey, checkClients } from "./client-ingress";
import { ListenerPlacement, ListenerResource, takePlacement, underListener } from "./listener-placement";
import { idPart, moveFromEarlierId } from "./terraform-address";
import {
  ACM_CERTIFICATE_FORMAT,
  IPV4_CIDR_FORMAT,
  IPV6_CIDR_FORMAT,
  NLB_ARN_FORMAT,
  PORT_RANGE,
  RANGES,
  Problems,
  duplicates,
  idFormat,
  inRange,
  isAwsId,
  isCidr,
  isIpAddress,
  isLoadBalancerArn,
  isPort,
  isToken,
  parseAcmCertificateArn,
  partitionOf,
  rangeText,
} from "./validation";

/** Protocol of a Network Load Balancer listener. */
export enum ListenerProtocol {
  TCP = "TCP",
  /** TLS terminated at the load balancer: needs a certificate. */
  TLS = "TLS",
  UDP = "UDP",
  TCP_UDP = "TCP_UDP",
}

/** How targets are registered. */
export enum TargetType {
  /** EC2 instance ids. */
  INSTANCE = "instance",
  /** IP addresses. */
  IP = "ip",
}

/** IP address type of the targets in a target group. */
export enum TargetIpAddressType {
  IPV4 = "ipv4",
  /** Needs target type `ip` and a dual-stack load balancer. */
  IPV6 = "ipv6",
}

/** Protocol used by health checks. */
export enum HealthCheckProtocol {
  TCP = "TCP",
  HTTP = "HTTP",
  HTTPS = "HTTPS",
}

/** Health check of a target group. */
export interface NlbHealthCheck {
  /** Protocol of the health check probes. @default HealthCheckProtocol.TCP */
  readonly protocol?: HealthCheckProtocol;
  /** Port to probe. @default - the traffic port */
  readonly port?: number;
  /** Path for HTTP and HTTPS checks. @default "/" for HTTP(S), none for TCP */
  readonly path?: string;
  /** Seconds between checks, 5 to 300. @default 30 */
  readonly intervalSeconds?: number;
  /** Successes before a target is healthy, 2 to 10. @default 3 */
  readonly healthyThreshold?: number;
  /** Failures before a target is unhealthy, 2 to 10. @default 3 */
  readonly unhealthyThreshold?: number;
  /** HTTP codes that count as healthy, for HTTP(S) checks. @default "200-399" */
  readonly matcher?: string;
}

/** Where a listener sends traffic. */
export interface NlbTargetProps {
  /** How targets are registered: by instance id or by IP address. @default TargetType.INSTANCE */
  readonly type?: TargetType;
  /** Port on the targets. @default - the listener port */
  readonly port?: number;
  /** IP address type of the targets; IPv6 needs ip targets and a dual-stack load balancer. @default TargetIpAddressType.IPV4 */
  readonly ipAddressType?: TargetIpAddressType;
  /** Instance ids or IP addresses to register. @default - none: register targets elsewhere */
  readonly ids?: string[];
  /** Health check of the target group. @default - TCP check on the traffic port */
  readonly healthCheck?: NlbHealthCheck;
  /** Send a proxy protocol v2 header so targets see the consumer's source address (TCP and TLS only). @default false */
  readonly proxyProtocolV2?: boolean;
  /** Keep the client's IP as the packet source. @default - AWS decides: on for instance targets, off for ip targets */
  readonly preserveClientIp?: boolean;
  /** Seconds to drain a deregistering target, 0 to 3600. @default 300 */
  readonly deregistrationDelaySeconds?: number;
}

/** Clients that reach the listeners directly, not through PrivateLink. */
export interface NlbDirectClients {
  /** Client security groups. @default - none */
  readonly securityGroupIds?: string[];
  /** Client IPv4 CIDRs. @default - none */
  readonly ipv4Cidrs?: string[];
  /** Client IPv6 CIDRs. @default - none */
  readonly ipv6Cidrs?: string[];
}

/** The CIDRs of the load balancer's VPC. */
export interface NlbVpcCidrs {
  /** The VPC's IPv4 CIDR. */
  readonly ipv4: string;
  /** The VPC's IPv6 CIDR, for IPv6 targets. @default - none */
  readonly ipv6?: string;
}

/** A listener's port and protocol: what a consumer's security group opens. */
export interface ListenerPort {
  /** The listener's port. */
  readonly port: number;
  /** The listener's protocol. */
  readonly protocol: ListenerProtocol;
}

/** A listener's own settings: its port, protocol and TLS settings (DualStackNlb's listeners take these too). */
export interface ListenerSettings {
  /** Port the load balancer listens on, 1 to 65535. */
  readonly port: number;
  /** Listener protocol; TLS is terminated at the load balancer and forwarded to targets as TCP. @default ListenerProtocol.TCP */
  readonly protocol?: ListenerProtocol;
  /** ACM certificate ARN, such as arn:aws:acm:us-west-2:123456789012:certificate/id, in the load balancer's region and account (AWS takes no other): required for TLS, not allowed otherwise. @default - none */
  readonly certificateArn?: string;
  /** Security policy for TLS listeners. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  readonly sslPolicy?: string;
  /** ALPN policy for TLS listeners, such as "HTTP2Preferred". @default - none */
  readonly alpnPolicy?: string;
}

export interface NetworkListenerProps extends ListenerSettings {
  /** ARN of the Network Load Balancer the listener belongs to (its aws_lb arn attribute). */
  readonly loadBalancerArn: string;
  /** VPC of the load balancer: the target group is created there. */
  readonly vpcId: string;
  /** Where the listener sends traffic: its target group's settings and the targets to register. @default - instance targets on the listener port, registered elsewhere */
  readonly target?: NlbTargetProps;
  /**
   * The load balancer's own security group (DualStackNlb's `securityGroupId`): the listener's
   * rules there admit its direct clients and let traffic and health checks out to its targets.
   * @default - no rules: the load balancer has no group, or groups of your own that you manage
   */
  readonly securityGroupId?: string;
  /** Clients that may reach the listener directly (not through PrivateLink), admitted on its port in securityGroupId. @default - none */
  readonly allowDirectFrom?: NlbDirectClients;
  /** The VPC's CIDRs, where the targets are: what the egress rules in securityGroupId name. @default - read from the VPC (an aws_vpc data source) */
  readonly vpcCidrs?: NlbVpcCidrs;
  /** Name of the listener: its target group's Name tag (the group itself stays unnamed, so that a replacement can be created before the old one is deleted). @default - no Name tag */
  readonly name?: string;
  /** Tags for the listener, its target group and its security group rules. @default - no tags beyond the provider's default tags */
  readonly tags?: Record<string, string>;
}

/** The security policy of a TLS listener that names none. */
export const DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * A listener of a Network Load Balancer with its own target group and registered targets, and, on
 * the load balancer's own security group, ingress from its direct clients and egress to its
 * targets. DualStackNlb builds one per listener; use it alone to add a listener to a load
 * balancer made elsewhere.
 */
export class NetworkListener extends Construct {
  /** The aws_lb_listener resource. */
  readonly listener: LbListener;
  /** The aws_lb_target_group resource. */
  readonly targetGroup: LbTargetGroup;
  /** ARN of the listener (the aws_lb_listener arn attribute). */
  readonly listenerArn: string;
  /** ARN of the target group (the aws_lb_target_group arn attribute). */
  readonly targetGroupArn: string;
  /** The port the load balancer listens on. */
  readonly port: number;
  /** The listener protocol, after the default. */
  readonly protocol: ListenerProtocol;
  /** The aws_lb_target_group_attachment resources, one per target id, in the same order. */
  readonly attachments: LbTargetGroupAttachment[];
  /** The aws_vpc_security_group_ingress_rule resources: one per direct client and IP protocol. */
  readonly ingressRules: VpcSecurityGroupIngressRule[];
  /** The aws_vpc_security_group_egress_rule resources: to the targets, and to their health check port when it differs. */
  readonly egressRules: VpcSecurityGroupEgressRule[];

  constructor(scope: Construct, id: string, props: NetworkListenerProps) {
    super(scope, id);
    // Its resources go under this listener, unless a DualStackNlb placed it: then where that
    // load balancer's listeners have always had them (listener-placement.ts).
    const at = takePlacement(scope, id) ?? underListener(this);
    if (!at.checked) validate(this, props);
    const moved = (resource: ListenerResource, made: TerraformResource) => {
      const earlier = at.earlierId?.(resource);
      if (earlier !== undefined) moveFromEarlierId(made, earlier);
    };

    this.port = props.port;
    this.protocol = props.protocol ?? ListenerProtocol.TCP;
    const target = props.target ?? {};
    const targetPort = target.port ?? props.port;
    this.targetGroup = new LbTargetGroup(at.scope, at.id({ kind: "TargetGroup" }), {
      // No name: a port change replaces the group, and the new one is created before the old
      // one is deleted, so two exist for a moment. The Name tag says which listener it serves.
      vpcId: props.vpcId,
      port: targetPort,
      // TLS is terminated at the load balancer; targets receive TCP.
      protocol: this.protocol === ListenerProtocol.TLS ? ListenerProtocol.TCP : this.protocol,
      targetType: target.type ?? TargetType.INSTANCE,
      ipAddressType: target.ipAddressType ?? TargetIpAddressType.IPV4,
      proxyProtocolV2: target.proxyProtocolV2 ?? false,
      preserveClientIp: target.preserveClientIp === undefined ? undefined : String(target.preserveClientIp),
      deregistrationDelay: String(target.deregistrationDelaySeconds ?? 300),
      healthCheck: healthCheckConfig(target.healthCheck),
      tags: props.name !== undefined ? { ...props.tags, Name: props.name } : props.tags,
      lifecycle: { createBeforeDestroy: true },
    });
    this.listener = new LbListener(at.scope, at.id({ kind: "Listener" }), {
      loadBalancerArn: props.loadBalancerArn,
      port: props.port,
      protocol: this.protocol,
      certificateArn: props.certificateArn,
      sslPolicy: this.protocol === ListenerProtocol.TLS ? (props.sslPolicy ?? DEFAULT_TLS_POLICY) : undefined,
      alpnPolicy: props.alpnPolicy,
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      tags: props.tags,
    });
    moved({ kind: "TargetGroup" }, this.targetGroup);
    moved({ kind: "Listener" }, this.listener);
    this.targetGroupArn = this.targetGroup.arn;
    this.listenerArn = this.listener.arn;

    this.attachments = (target.ids ?? []).map((targetId, index) => {
      // Keyed by the target itself, so removing one target never re-registers another.
      const resource: ListenerResource = { kind: "Target", key: isToken(targetId) ? String(index) : idPart(targetId), index };
      const attachment = new LbTargetGroupAttachment(at.scope, at.id(resource), { targetGroupArn: this.targetGroup.arn, targetId, port: targetPort, lifecycle: { createBeforeDestroy: true } });
      moved(resource, attachment);
      return attachment;
    });

    const groupId = props.securityGroupId;
    this.ingressRules = groupId === undefined ? [] : this.admitDirectClients(at, groupId, props);
    this.egressRules = groupId === undefined ? [] : this.allowOutToTargets(at, groupId, props);
  }

  /** The listener's port, in the load balancer's group, from each direct client. */
  private admitDirectClients(at: ListenerPlacement, groupId: string, props: NetworkListenerProps): VpcSecurityGroupIngressRule[] {
    return admitClients(at.scope, {
      securityGroupId: groupId,
      clients: props.allowDirectFrom ?? {},
      ports: [{ port: this.port, ipProtocols: ipProtocolsOf(this.protocol), key: this.node.id }],
      sourceKey: canonicalSourceKey,
      id: (rule) => at.id({ kind: "Ingress", rule }),
      earlierId: (rule) => at.earlierId?.({ kind: "Ingress", rule }),
      describeClient: (client) => (client === undefined ? "direct client" : `direct client ${client}`),
      tags: props.tags,
    }).map((r) => r.resource);
  }

  /** Out of the load balancer's group to the targets in the VPC, and to their health check port when it is another one. */
  private allowOutToTargets(at: ListenerPlacement, groupId: string, props: NetworkListenerProps): VpcSecurityGroupEgressRule[] {
    const target = props.target ?? {};
    const targetPort = target.port ?? this.port;
    const family = (target.ipAddressType ?? TargetIpAddressType.IPV4) === TargetIpAddressType.IPV6 ? "ipv6" : "ipv4";
    const hcPort = target.healthCheck?.port;
    const ports = hcPort !== undefined && hcPort !== targetPort ? [targetPort, hcPort] : [targetPort];
    return ports.flatMap((port, n) => {
      const healthChecks = n > 0;
      const cidr = family === "ipv4" ? (props.vpcCidrs?.ipv4 ?? this.vpc(at, props.vpcId).cidrBlock) : (props.vpcCidrs?.ipv6 ?? this.vpc(at, props.vpcId).ipv6CidrBlock);
      return ipProtocolsOf(healthChecks ? ListenerProtocol.TCP : this.protocol).map(
        (ipProtocol) =>
          new VpcSecurityGroupEgressRule(at.scope, at.id({ kind: "Egress", ipProtocol, healthChecks }), {
            securityGroupId: groupId,
            ipProtocol,
            fromPort: port,
            toPort: port,
            cidrIpv4: family === "ipv4" ? cidr : undefined,
            cidrIpv6: family === "ipv6" ? cidr : undefined,
            description: `${ipProtocol.toUpperCase()} ${port} to ${healthChecks ? "target health checks" : "targets"} in the VPC`,
            tags: props.tags,
          }),
      );
    });
  }

  /** The VPC's aws_vpc data source, made at first need: one per placement scope, so a load balancer's listeners share one. */
  private vpc(at: ListenerPlacement, vpcId: string): DataAwsVpc {
    const id = at.id({ kind: "Vpc" });
    return (at.scope.node.tryFindChild(id) as DataAwsVpc | undefined) ?? new DataAwsVpc(at.scope, id, { id: vpcId });
  }
}

/** The IP protocols a listener of the protocol receives: TLS arrives as TCP, TCP_UDP as both. */
export function ipProtocolsOf(protocol: ListenerProtocol | undefined): string[] {
  switch (protocol ?? ListenerProtocol.TCP) {
    case ListenerProtocol.UDP:
      return ["udp"];
    case ListenerProtocol.TCP_UDP:
      return ["tcp", "udp"];
    default:
      return ["tcp"];
  }
}

function healthCheckConfig(hc: NlbHealthCheck | undefined) {
  if (!hc) return { enabled: true, protocol: HealthCheckProtocol.TCP };
  const protocol = hc.protocol ?? HealthCheckProtocol.TCP;
  const http = protocol !== HealthCheckProtocol.TCP;
  return {
    enabled: true,
    protocol,
    port: hc.port === undefined ? undefined : String(hc.port),
    path: http ? (hc.path ?? "/") : undefined,
    matcher: http ? (hc.matcher ?? "200-399") : undefined,
    interval: hc.intervalSeconds,
    healthyThreshold: hc.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold,
  };
}

function validate(scope: IConstruct, props: NetworkListenerProps): void {
  const p = new Problems();
  checkNetworkListenerProps(props, p);
  p.throwIfAny("NetworkListener", scope);
}

/** Checks NetworkListener props without building anything; problems go to `p`. */
export function checkNetworkListenerProps(props: NetworkListenerProps, p: Problems): void {
  p.check(isLoadBalancerArn(props.loadBalancerArn, "net"), "loadBalancerArn", props.loadBalancerArn, NLB_ARN_FORMAT);
  p.check(isAwsId("vpc")(props.vpcId), "vpcId", props.vpcId, idFormat("vpc"));
  checkListenerSettings(props, p, props.target);
  const t = props.target;
  if (t?.ipAddressType === TargetIpAddressType.IPV6) p.check(t.type === TargetType.IP, "target.type", t.type ?? TargetType.INSTANCE, '"ip": IPv6 targets are registered by IP address');
  const group = props.securityGroupId;
  if (group !== undefined) p.check(isAwsId("sg")(group), "securityGroupId", group, idFormat("sg"));
  if (props.allowDirectFrom) {
    p.check(group !== undefined, "allowDirectFrom", props.allowDirectFrom, "no direct clients without securityGroupId: the load balancer's own group admits them");
    checkClients(props.allowDirectFrom, p.scoped((path) => `allowDirectFrom.${path}`), DIRECT_CLIENTS);
  }
  if (props.vpcCidrs) {
    p.check(group !== undefined, "vpcCidrs", props.vpcCidrs, "no VPC CIDRs without securityGroupId: only its egress rules name them");
    checkVpcCidrs(props.vpcCidrs, p.scoped((path) => `vpcCidrs.${path}`));
  }
}

/**
 * Checks what a listener is, wherever it is declared (a NetworkListener, or a DualStackNlb's
 * listener): port, protocol, TLS settings and its own `target`, judged by `effective`, the target
 * settings that apply to it. Paths are relative to the listener (port, target.ids[0]).
 */
export function checkListenerSettings(l: Pick<NetworkListenerProps, "port" | "protocol" | "certificateArn" | "sslPolicy" | "alpnPolicy" | "target">, p: Problems, effective: NlbTargetProps | undefined): void {
  const protocol = l.protocol ?? ListenerProtocol.TCP;
  p.check(isPort(l.port), "port", l.port, PORT_RANGE);
  p.check(Object.values(ListenerProtocol).includes(protocol), "protocol", l.protocol, `one of ${Object.values(ListenerProtocol).join(", ")}`);
  if (protocol === ListenerProtocol.TLS) {
    const cert = parseAcmCertificateArn(l.certificateArn);
    p.check(cert !== undefined, "certificateArn", l.certificateArn, `${ACM_CERTIFICATE_FORMAT} for a TLS listener`);
    if (cert) p.check(cert.partition === partitionOf(cert.region), "certificateArn", l.certificateArn, `an ARN of partition ${partitionOf(cert.region)}, the partition of ${cert.region} (arn:${partitionOf(cert.region)}:acm:...)`);
  } else {
    p.check(l.certificateArn === undefined, "certificateArn", l.certificateArn, "no certificate: only TLS listeners take one");
    p.check(l.sslPolicy === undefined, "sslPolicy", l.sslPolicy, "no SSL policy: only TLS listeners take one");
    p.check(l.alpnPolicy === undefined, "alpnPolicy", l.alpnPolicy, "no ALPN policy: only TLS listeners take one");
  }
  checkTargetSettings(l.target, p.scoped((path) => `target.${path}`), protocol, effective);
}

/**
 * Checks one target setting; `effective` is what applies to its listener (a listener's own
 * settings over its load balancer's), which decides what its ids must be. Paths are relative to
 * the target (type, ids[0]); `protocol` is the listener's, when the settings belong to one.
 */
export function checkTargetSettings(t: NlbTargetProps | undefined, p: Problems, protocol: ListenerProtocol | undefined, effective: NlbTargetProps | undefined = t): void {
  if (!t) return;
  p.check(t.type === undefined || Object.values(TargetType).includes(t.type), "type", t.type, `one of ${Object.values(TargetType).join(", ")}`);
  p.check(t.port === undefined || isPort(t.port), "port", t.port, PORT_RANGE);
  p.check(t.ipAddressType === undefined || Object.values(TargetIpAddressType).includes(t.ipAddressType), "ipAddressType", t.ipAddressType, `one of ${Object.values(TargetIpAddressType).join(", ")}`);
  if (isToken(t.ids)) p.add("ids", "a list token", "a list written out, one string (or single-value token) per target");
  if (t.proxyProtocolV2 && protocol !== undefined) {
    p.check(protocol === ListenerProtocol.TCP || protocol === ListenerProtocol.TLS, "proxyProtocolV2", t.proxyProtocolV2, `false for a ${protocol} listener: proxy protocol v2 needs TCP or TLS`);
  }
  p.check(t.deregistrationDelaySeconds === undefined || inRange(t.deregistrationDelaySeconds, RANGES.deregistrationDelaySeconds), "deregistrationDelaySeconds", t.deregistrationDelaySeconds, rangeText(RANGES.deregistrationDelaySeconds));
  if (!isToken(t.ids)) {
    const type = effective?.type ?? TargetType.INSTANCE;
    const ipType = effective?.ipAddressType ?? TargetIpAddressType.IPV4;
    (t.ids ?? []).forEach((id, i) => {
      if (type === TargetType.INSTANCE) p.check(isAwsId("i")(id), `ids[${i}]`, id, `an instance id (${idFormat("i")}) for target type "instance"`);
      else if (type === TargetType.IP) {
        const family = ipType === TargetIpAddressType.IPV6 ? "ipv6" : "ipv4";
        p.check(isIpAddress(id, family), `ids[${i}]`, id, `an ${family === "ipv6" ? "IPv6" : "IPv4"} address for target type "ip" with ipAddressType "${ipType}"`);
      }
    });
    for (const d of duplicates((t.ids ?? []).filter((id) => !isToken(id)))) p.add("ids", d, "each target once");
  }
  const hc = t.healthCheck;
  if (hc) {
    p.check(hc.protocol === undefined || Object.values(HealthCheckProtocol).includes(hc.protocol), "healthCheck.protocol", hc.protocol, `one of ${Object.values(HealthCheckProtocol).join(", ")}`);
    p.check(hc.port === undefined || isPort(hc.port), "healthCheck.port", hc.port, PORT_RANGE);
    p.check(hc.path === undefined || (hc.protocol !== undefined && hc.protocol !== HealthCheckProtocol.TCP), "healthCheck.path", hc.path, "no path for a TCP health check (set protocol HTTP or HTTPS)");
    p.check(hc.path === undefined || hc.path.startsWith("/"), "healthCheck.path", hc.path, 'a path starting with "/"');
    p.check(hc.intervalSeconds === undefined || inRange(hc.intervalSeconds, RANGES.healthCheckIntervalSeconds), "healthCheck.intervalSeconds", hc.intervalSeconds, rangeText(RANGES.healthCheckIntervalSeconds));
    p.check(hc.healthyThreshold === undefined || inRange(hc.healthyThreshold, RANGES.healthCheckThreshold), "healthCheck.healthyThreshold", hc.healthyThreshold, rangeText(RANGES.healthCheckThreshold));
    p.check(hc.unhealthyThreshold === undefined || inRange(hc.unhealthyThreshold, RANGES.healthCheckThreshold), "healthCheck.unhealthyThreshold", hc.unhealthyThreshold, rangeText(RANGES.healthCheckThreshold));
  }
}

/** Checks a load balancer's VPC CIDRs; paths are relative to them (ipv4, ipv6). */
export function checkVpcCidrs(cidrs: NlbVpcCidrs, p: Problems): void {
  p.check(isCidr(cidrs.ipv4, "ipv4"), "ipv4", cidrs.ipv4, IPV4_CIDR_FORMAT);
  if (cidrs.ipv6 !== undefined) p.check(isCidr(cidrs.ipv6, "ipv6"), "ipv6", cidrs.ipv6, IPV6_CIDR_FORMAT);
}
