import { Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { idPart, moveFromEarlierId } from "./terraform-address";
import {
  ACM_CERTIFICATE_FORMAT,
  BUCKET_NAME_FORMAT,
  IPV4_CIDR_FORMAT,
  IPV6_CIDR_FORMAT,
  PORT_RANGE,
  RANGES,
  Problems,
  duplicates,
  idFormat,
  isAnyAddress,
  isAwsId,
  isBucketName,
  isCidr,
  isIpAddress,
  isNetworkCidr,
  inRange,
  isPort,
  rangeText,
  isToken,
  networkCidr,
  parseAcmCertificateArn,
  partitionOf,
} from "./validation";

/** IP address type of the load balancer's own addresses. */
export enum LoadBalancerIpAddressType {
  /** IPv4 addresses only. */
  IPV4 = "ipv4",
  /** IPv4 and IPv6 addresses: needed for an endpoint service that supports IPv6. */
  DUALSTACK = "dualstack",
}

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

/** One listener and its target group. */
export interface NlbListenerProps {
  /**
   * Stable name of the listener and its target group in Terraform addresses: letters, digits,
   * '-' and '_'. Name listeners whose order may change, so that removing one never moves another.
   * @default - its position in `listeners`: "0", "1"...
   */
  readonly id?: string;
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
  /** Target settings for this listener only. @default - the load balancer's `target` */
  readonly target?: NlbTargetProps;
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

/** Access logs written to S3. */
export interface NlbAccessLogs {
  /** S3 bucket name. */
  readonly bucket: string;
  /** Key prefix of the log objects in the bucket. @default - the bucket root */
  readonly prefix?: string;
}

export interface DualStackNlbProps {
  /** Name of the load balancer, at most 32 letters, digits and hyphens. @default - generated by Terraform */
  readonly name?: string;
  /** VPC of the load balancer and its target groups. */
  readonly vpcId: string;
  /** Subnets, one per Availability Zone; they need IPv6 CIDRs for a dual-stack load balancer. */
  readonly subnetIds: string[];
  /** IP address type of the load balancer; dual-stack lets the endpoint service support IPv6. @default LoadBalancerIpAddressType.DUALSTACK */
  readonly ipAddressType?: LoadBalancerIpAddressType;
  /** At least one listener; ports are unique. */
  readonly listeners: NlbListenerProps[];
  /** Default target settings for every listener. @default - instance targets on the listener port */
  readonly target?: NlbTargetProps;
  /** Spread traffic over targets in every zone. @default true */
  readonly crossZoneEnabled?: boolean;
  /** Your own security groups for the load balancer, instead of the one it creates. @default - the load balancer's own group */
  readonly securityGroupIds?: string[];
  /**
   * Clients that may reach the listeners directly (not through PrivateLink): the load balancer's
   * own group admits them on the listener ports. @default - none: only PrivateLink traffic reaches the listeners
   */
  readonly allowDirectFrom?: NlbDirectClients;
  /**
   * The VPC's CIDRs, where the targets are: the load balancer's own group lets traffic and health
   * checks out to them on the target ports. @default - read from the VPC (an aws_vpc data source)
   */
  readonly vpcCidrs?: NlbVpcCidrs;
  /**
   * Create the load balancer with no security group. AWS cannot add one later (only replacing
   * the load balancer can), and anything routable to the VPC then reaches the listeners around
   * PrivateLink's principals and acceptance. @default false
   */
  readonly withoutSecurityGroup?: boolean;
  /**
   * Judge PrivateLink traffic by the groups' inbound rules too. @default - false with the load
   * balancer's own group (consumers are governed by allowed principals, acceptance and their
   * endpoint's own group); AWS's default (true) with your own groups
   */
  readonly enforceSecurityGroupInboundRulesOnPrivateLinkTraffic?: boolean;
  /** Protect the load balancer from deletion: deleting or replacing it cuts every consumer. @default true */
  readonly deletionProtection?: boolean;
  /** Write access logs to an S3 bucket. @default - no access logs */
  readonly accessLogs?: NlbAccessLogs;
  /** Tags for the load balancer, its listeners and target groups. @default - no tags beyond the provider's default tags */
  readonly tags?: Record<string, string>;
}

const DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * An internal Network Load Balancer, dual-stack by default, with one target group per listener:
 * the front of a VPC endpoint service.
 */
export class DualStackNlb extends Construct {
  /** The aws_lb resource. */
  readonly loadBalancer: Lb;
  /** ARN of the load balancer (the aws_lb arn attribute), for the endpoint service. */
  readonly loadBalancerArn: string;
  /** DNS name of the load balancer (the aws_lb dns_name attribute). */
  readonly dnsName: string;
  /** The aws_lb_listener resources, in the order of the listeners prop. */
  readonly listeners: LbListener[];
  /** The aws_lb_target_group resources, one per listener, in the same order. */
  readonly targetGroups: LbTargetGroup[];
  /** ARNs of the target groups, in the order of the listeners. */
  readonly targetGroupArns: string[];
  /** The listeners' ports and protocols, for consumer security groups. */
  readonly listenerPorts: { readonly port: number; readonly protocol: ListenerProtocol }[];
  /** IP address type of the load balancer, after the default. */
  readonly ipAddressType: LoadBalancerIpAddressType;
  /** The load balancer's own aws_security_group: absent with securityGroupIds or withoutSecurityGroup. */
  readonly securityGroup?: SecurityGroup;
  /**
   * Id of the load balancer's own group. Reference it in the targets' groups, so that only the
   * load balancer reaches them (the demo target does).
   */
  readonly securityGroupId?: string;
  private readonly loadBalancerVpcId: string;

  constructor(scope: Construct, id: string, props: DualStackNlbProps) {
    super(scope, id);
    validate(this, props);
    this.loadBalancerVpcId = props.vpcId;
    this.ipAddressType = props.ipAddressType ?? LoadBalancerIpAddressType.DUALSTACK;
    const ownGroup = props.securityGroupIds === undefined && !props.withoutSecurityGroup;
    if (ownGroup) {
      // No egress block: Terraform removes AWS's allow-all egress; the rules below add what targets need.
      this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
        vpcId: props.vpcId,
        namePrefix: "privatelink-nlb-",
        description: "Network Load Balancer: listener ports from direct clients only, out to the targets",
        tags: props.tags,
        lifecycle: { createBeforeDestroy: true },
      });
      this.securityGroupId = this.securityGroup.id;
    }
    const enforce = props.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic ?? (ownGroup ? false : undefined);

    this.loadBalancer = new Lb(this, "LoadBalancer", {
      name: props.name,
      loadBalancerType: "network",
      internal: true,
      ipAddressType: this.ipAddressType,
      subnets: props.subnetIds,
      enableCrossZoneLoadBalancing: props.crossZoneEnabled ?? true,
      enableDeletionProtection: props.deletionProtection ?? true,
      securityGroups: this.securityGroupId ? [this.securityGroupId] : props.securityGroupIds,
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: enforce === undefined ? undefined : enforce ? "on" : "off",
      accessLogs: props.accessLogs ? { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix, enabled: true } : undefined,
      tags: props.tags,
    });
    this.loadBalancerArn = this.loadBalancer.arn;
    this.dnsName = this.loadBalancer.dnsName;

    this.listeners = [];
    this.targetGroups = [];
    this.listenerPorts = [];
    props.listeners.forEach((listener, i) => {
      const protocol = listener.protocol ?? ListenerProtocol.TCP;
      const target = { ...props.target, ...listener.target };
      // Addresses never hold the port: moving a port changes the listener in place.
      const key = listener.id ?? String(i);
      // Before 0.2 the addresses held protocol and port; moved blocks carry that state over.
      const earlier = isToken(listener.port) ? undefined : `${protocol.toLowerCase().replace("_", "")}${listener.port}`;
      const targetPort = target.port ?? listener.port;
      const tg = new LbTargetGroup(this, `TargetGroup-${key}`, {
        // No name: a port change replaces the group, and the new one is created before the old
        // one is deleted, so two exist for a moment. The Name tag says which listener it serves.
        vpcId: props.vpcId,
        port: targetPort,
        // TLS is terminated at the load balancer; targets receive TCP.
        protocol: protocol === ListenerProtocol.TLS ? ListenerProtocol.TCP : protocol,
        targetType: target.type ?? TargetType.INSTANCE,
        ipAddressType: target.ipAddressType ?? TargetIpAddressType.IPV4,
        proxyProtocolV2: target.proxyProtocolV2 ?? false,
        preserveClientIp: target.preserveClientIp === undefined ? undefined : String(target.preserveClientIp),
        deregistrationDelay: String(target.deregistrationDelaySeconds ?? 300),
        healthCheck: healthCheckConfig(target.healthCheck),
        tags: props.name && !isToken(props.name) ? { ...props.tags, Name: `${props.name}-${key}` } : props.tags,
        lifecycle: { createBeforeDestroy: true },
      });
      const ln = new LbListener(this, `Listener-${key}`, {
        loadBalancerArn: this.loadBalancer.arn,
        port: listener.port,
        protocol,
        certificateArn: listener.certificateArn,
        sslPolicy: protocol === ListenerProtocol.TLS ? (listener.sslPolicy ?? DEFAULT_TLS_POLICY) : undefined,
        alpnPolicy: listener.alpnPolicy,
        defaultAction: [{ type: "forward", targetGroupArn: tg.arn }],
        tags: props.tags,
      });
      if (earlier) {
        moveFromEarlierId(tg, `TargetGroup-${earlier}`);
        moveFromEarlierId(ln, `Listener-${earlier}`);
      }
      (target.ids ?? []).forEach((targetId, t) => {
        // Keyed by the target itself, so removing one target never re-registers another.
        const attachment = new LbTargetGroupAttachment(this, `TargetGroup-${key}-Target-${isToken(targetId) ? t : idPart(targetId)}`, {
          targetGroupArn: tg.arn,
          targetId,
          port: targetPort,
          lifecycle: { createBeforeDestroy: true },
        });
        if (earlier) moveFromEarlierId(attachment, `TargetGroup-${earlier}-Target${t}`);
      });
      this.targetGroups.push(tg);
      this.listeners.push(ln);
      this.listenerPorts.push({ port: listener.port, protocol });
      if (this.securityGroupId) {
        this.allowDirectClients(key, listener.port, protocol, props.allowDirectFrom ?? {}, props.tags);
        const family = (target.ipAddressType ?? TargetIpAddressType.IPV4) === TargetIpAddressType.IPV6 ? "ipv6" : "ipv4";
        const hcPort = target.healthCheck?.port;
        const ports = hcPort !== undefined && hcPort !== targetPort ? [targetPort, hcPort] : [targetPort];
        ports.forEach((port, n) =>
          this.allowOutToTargets(`${key}${n === 0 ? "" : "-health"}`, port, n === 0 ? protocol : ListenerProtocol.TCP, family, props, n === 0 ? "targets" : "target health checks"),
        );
      }
    });
    this.targetGroupArns = this.targetGroups.map((tg) => tg.arn);
  }

  /** Listener port in from each direct client, on the load balancer's own group. */
  private allowDirectClients(key: string, port: number, protocol: ListenerProtocol, from: NlbDirectClients, tags?: Record<string, string>): void {
    const sources = [
      ...(from.securityGroupIds ?? []).map((v) => ({ kind: "sg" as const, v })),
      ...(from.ipv4Cidrs ?? []).map((v) => ({ kind: "ipv4" as const, v })),
      ...(from.ipv6Cidrs ?? []).map((v) => ({ kind: "ipv6" as const, v })),
    ];
    sources.forEach((source, s) => {
      for (const ipProtocol of ipProtocolsOf(protocol)) {
        new VpcSecurityGroupIngressRule(this, `Ingress-${key}-${ipProtocol}-${isToken(source.v) ? `${source.kind}${s}` : idPart(source.v)}`, {
          securityGroupId: this.securityGroupId!,
          ipProtocol,
          fromPort: port,
          toPort: port,
          referencedSecurityGroupId: source.kind === "sg" ? source.v : undefined,
          cidrIpv4: source.kind === "ipv4" ? source.v : undefined,
          cidrIpv6: source.kind === "ipv6" ? source.v : undefined,
          description: `${ipProtocol.toUpperCase()} ${port} from direct client ${isToken(source.v) ? "" : source.v}`.trim(),
          tags,
        });
      }
    });
  }

  /** Traffic (or health checks) out to the targets in the VPC, on the load balancer's own group. */
  private allowOutToTargets(key: string, port: number, protocol: ListenerProtocol, family: "ipv4" | "ipv6", props: DualStackNlbProps, what: string): void {
    const cidr = family === "ipv4" ? (props.vpcCidrs?.ipv4 ?? this.vpc().cidrBlock) : (props.vpcCidrs?.ipv6 ?? this.vpc().ipv6CidrBlock);
    for (const ipProtocol of ipProtocolsOf(protocol)) {
      new VpcSecurityGroupEgressRule(this, `Egress-${key}-${ipProtocol}`, {
        securityGroupId: this.securityGroupId!,
        ipProtocol,
        fromPort: port,
        toPort: port,
        cidrIpv4: family === "ipv4" ? cidr : undefined,
        cidrIpv6: family === "ipv6" ? cidr : undefined,
        description: `${ipProtocol.toUpperCase()} ${port} to ${what} in the VPC`,
        tags: props.tags,
      });
    }
  }

  private vpcLookup?: DataAwsVpc;
  private vpc(): DataAwsVpc {
    return (this.vpcLookup ??= new DataAwsVpc(this, "Vpc", { id: this.loadBalancerVpcId }));
  }
}

const ipProtocolsOf = (protocol: ListenerProtocol): string[] => (protocol === ListenerProtocol.UDP ? ["udp"] : protocol === ListenerProtocol.TCP_UDP ? ["tcp", "udp"] : ["tcp"]);

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


/**
 * Checks one target setting; `effective` is what applies to its listener (the listener's own
 * settings over the load balancer's), which decides what its ids must be.
 */
function validateTarget(p: Problems, path: string, t: NlbTargetProps | undefined, protocol: ListenerProtocol | undefined, effective: NlbTargetProps | undefined = t): void {
  if (!t) return;
  p.check(t.type === undefined || Object.values(TargetType).includes(t.type), `${path}.type`, t.type, `one of ${Object.values(TargetType).join(", ")}`);
  p.check(t.port === undefined || isPort(t.port), `${path}.port`, t.port, PORT_RANGE);
  p.check(t.ipAddressType === undefined || Object.values(TargetIpAddressType).includes(t.ipAddressType), `${path}.ipAddressType`, t.ipAddressType, `one of ${Object.values(TargetIpAddressType).join(", ")}`);
  if (isToken(t.ids)) p.add(`${path}.ids`, "a list token", "a list written out, one string (or single-value token) per target");
  if (t.proxyProtocolV2 && protocol !== undefined) {
    p.check(protocol === ListenerProtocol.TCP || protocol === ListenerProtocol.TLS, `${path}.proxyProtocolV2`, t.proxyProtocolV2, `false for a ${protocol} listener: proxy protocol v2 needs TCP or TLS`);
  }
  p.check(t.deregistrationDelaySeconds === undefined || inRange(t.deregistrationDelaySeconds, RANGES.deregistrationDelaySeconds), `${path}.deregistrationDelaySeconds`, t.deregistrationDelaySeconds, rangeText(RANGES.deregistrationDelaySeconds));
  if (!isToken(t.ids)) {
    const type = effective?.type ?? TargetType.INSTANCE;
    const ipType = effective?.ipAddressType ?? TargetIpAddressType.IPV4;
    (t.ids ?? []).forEach((id, i) => {
      if (type === TargetType.INSTANCE) p.check(isAwsId("i")(id), `${path}.ids[${i}]`, id, `an instance id (${idFormat("i")}) for target type "instance"`);
      else if (type === TargetType.IP) {
        const family = ipType === TargetIpAddressType.IPV6 ? "ipv6" : "ipv4";
        p.check(isIpAddress(id, family), `${path}.ids[${i}]`, id, `an ${family === "ipv6" ? "IPv6" : "IPv4"} address for target type "ip" with ipAddressType "${ipType}"`);
      }
    });
    for (const d of duplicates((t.ids ?? []).filter((id) => !isToken(id)))) p.add(`${path}.ids`, d, "each target once");
  }
  const hc = t.healthCheck;
  if (hc) {
    p.check(hc.protocol === undefined || Object.values(HealthCheckProtocol).includes(hc.protocol), `${path}.healthCheck.protocol`, hc.protocol, `one of ${Object.values(HealthCheckProtocol).join(", ")}`);
    p.check(hc.port === undefined || isPort(hc.port), `${path}.healthCheck.port`, hc.port, PORT_RANGE);
    p.check(hc.path === undefined || (hc.protocol !== undefined && hc.protocol !== HealthCheckProtocol.TCP), `${path}.healthCheck.path`, hc.path, "no path for a TCP health check (set protocol HTTP or HTTPS)");
    p.check(hc.path === undefined || hc.path.startsWith("/"), `${path}.healthCheck.path`, hc.path, 'a path starting with "/"');
    p.check(hc.intervalSeconds === undefined || inRange(hc.intervalSeconds, RANGES.healthCheckIntervalSeconds), `${path}.healthCheck.intervalSeconds`, hc.intervalSeconds, rangeText(RANGES.healthCheckIntervalSeconds));
    p.check(hc.healthyThreshold === undefined || inRange(hc.healthyThreshold, RANGES.healthCheckThreshold), `${path}.healthCheck.healthyThreshold`, hc.healthyThreshold, rangeText(RANGES.healthCheckThreshold));
    p.check(hc.unhealthyThreshold === undefined || inRange(hc.unhealthyThreshold, RANGES.healthCheckThreshold), `${path}.healthCheck.unhealthyThreshold`, hc.unhealthyThreshold, rangeText(RANGES.healthCheckThreshold));
  }
}

function validate(scope: IConstruct, props: DualStackNlbProps): void {
  const p = new Problems();
  checkDualStackNlbProps(props, p);
  p.throwIfAny("DualStackNlb", scope);
}

/** Checks DualStackNlb props without building anything; problems go to `p`. */
export function checkDualStackNlbProps(props: DualStackNlbProps, p: Problems): void {
  const lbType = props.ipAddressType ?? LoadBalancerIpAddressType.DUALSTACK;
  if (props.name !== undefined) {
    p.check(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/.test(props.name) && !props.name.startsWith("internal-"), "name", props.name, "1 to 32 letters, digits and hyphens, not starting or ending with a hyphen nor starting with \"internal-\"");
  }
  p.check(isAwsId("vpc")(props.vpcId), "vpcId", props.vpcId, idFormat("vpc"));
  if (!isToken(props.subnetIds)) {
    p.check(Array.isArray(props.subnetIds) && props.subnetIds.length > 0, "subnetIds", props.subnetIds, "at least one subnet id, one per Availability Zone");
    (props.subnetIds ?? []).forEach((s, i) => p.check(isAwsId("subnet")(s), `subnetIds[${i}]`, s, idFormat("subnet")));
    for (const d of duplicates(props.subnetIds ?? [])) p.add("subnetIds", d, "each subnet once");
  }
  p.check(Object.values(LoadBalancerIpAddressType).includes(lbType), "ipAddressType", props.ipAddressType, `one of ${Object.values(LoadBalancerIpAddressType).join(", ")}`);
  p.check(Array.isArray(props.listeners) && props.listeners.length > 0, "listeners", props.listeners, "at least one listener, such as { port: 80 }");
  const listeners = props.listeners ?? [];
  listeners.forEach((l, i) => {
    const path = `listeners[${i}]`;
    const protocol = l.protocol ?? ListenerProtocol.TCP;
    p.check(isPort(l.port), `${path}.port`, l.port, PORT_RANGE);
    if (l.id !== undefined) p.check(typeof l.id === "string" && /^[A-Za-z0-9_-]{1,32}$/.test(l.id), `${path}.id`, l.id, "1 to 32 letters, digits, '-' and '_'");
    p.check(Object.values(ListenerProtocol).includes(protocol), `${path}.protocol`, l.protocol, `one of ${Object.values(ListenerProtocol).join(", ")}`);
    if (protocol === ListenerProtocol.TLS) {
      const cert = parseAcmCertificateArn(l.certificateArn);
      p.check(cert !== undefined, `${path}.certificateArn`, l.certificateArn, `${ACM_CERTIFICATE_FORMAT} for a TLS listener`);
      if (cert) p.check(cert.partition === partitionOf(cert.region), `${path}.certificateArn`, l.certificateArn, `an ARN of partition ${partitionOf(cert.region)}, the partition of ${cert.region} (arn:${partitionOf(cert.region)}:acm:...)`);
    } else {
      p.check(l.certificateArn === undefined, `${path}.certificateArn`, l.certificateArn, "no certificate: only TLS listeners take one");
      p.check(l.sslPolicy === undefined, `${path}.sslPolicy`, l.sslPolicy, "no SSL policy: only TLS listeners take one");
      p.check(l.alpnPolicy === undefined, `${path}.alpnPolicy`, l.alpnPolicy, "no ALPN policy: only TLS listeners take one");
    }
    const effective = { ...props.target, ...l.target };
    validateTarget(p, `${path}.target`, l.target, protocol, effective);
    if (effective.ipAddressType === TargetIpAddressType.IPV6) {
      // Judged on the merged settings; reported where the offending value was written.
      const ipFrom = l.target?.ipAddressType !== undefined ? `${path}.target` : "target";
      const typeFrom = l.target?.type !== undefined ? `${path}.target` : props.target?.type !== undefined ? "target" : ipFrom;
      p.check(effective.type === TargetType.IP, `${typeFrom}.type`, effective.type ?? TargetType.INSTANCE, '"ip": IPv6 targets are registered by IP address');
      p.check(lbType === LoadBalancerIpAddressType.DUALSTACK, `${ipFrom}.ipAddressType`, effective.ipAddressType, '"ipv4", or a load balancer with ipAddressType "dualstack"');
    }
    if (props.target?.proxyProtocolV2 && l.target?.proxyProtocolV2 === undefined) {
      p.check(effective.proxyProtocolV2 !== true || protocol === ListenerProtocol.TCP || protocol === ListenerProtocol.TLS, "target.proxyProtocolV2", true, `false: proxy protocol v2 needs TCP or TLS, and ${path} is ${protocol} (or turn it off for that listener alone in ${path}.target)`);
    }
  });
  for (const id of duplicates(listeners.map((l, i) => l.id ?? String(i)))) p.add("listeners", id, "each listener id once");
  for (const port of duplicates(listeners.map((l) => l.port).filter((port) => !Token.isUnresolved(port)))) {
    p.add("listeners", port, "each port once per load balancer (use TCP_UDP for TCP and UDP on one port)");
  }
  validateTarget(p, "target", props.target, undefined);
  p.check(props.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic === undefined || !props.withoutSecurityGroup, "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic", props.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic, "unset with withoutSecurityGroup: the setting only applies to a load balancer with security groups");
  p.check(!(props.withoutSecurityGroup && props.securityGroupIds !== undefined), "withoutSecurityGroup", props.withoutSecurityGroup, "false (or no securityGroupIds): a load balancer cannot both have your groups and none");
  if (props.securityGroupIds !== undefined && !isToken(props.securityGroupIds)) {
    p.check(props.securityGroupIds.length > 0, "securityGroupIds", props.securityGroupIds, "at least one security group id, or leave it out for the load balancer's own group (withoutSecurityGroup: true for none)");
    props.securityGroupIds.forEach((g, i) => p.check(isAwsId("sg")(g), `securityGroupIds[${i}]`, g, idFormat("sg")));
  }
  const direct = props.allowDirectFrom;
  if (direct) {
    p.check(props.securityGroupIds === undefined && !props.withoutSecurityGroup, "allowDirectFrom", direct, "no direct clients with securityGroupIds or withoutSecurityGroup: they are admitted by the load balancer's own group");
    (direct.securityGroupIds ?? []).forEach((g, i) => p.check(isAwsId("sg")(g), `allowDirectFrom.securityGroupIds[${i}]`, g, idFormat("sg")));
    for (const [key, family, format] of [["ipv4Cidrs", "ipv4", IPV4_CIDR_FORMAT], ["ipv6Cidrs", "ipv6", IPV6_CIDR_FORMAT]] as const) {
      (direct[key] ?? []).forEach((c, i) => {
        p.check(isCidr(c, family), `allowDirectFrom.${key}[${i}]`, c, format);
        p.check(!isCidr(c, family) || isNetworkCidr(c), `allowDirectFrom.${key}[${i}]`, c, `the network address of the block, ${networkCidr(c)}`);
        p.check(!isAnyAddress(c), `allowDirectFrom.${key}[${i}]`, c, "a narrower CIDR than the whole internet: the load balancer is internal");
      });
      for (const d of duplicates((direct[key] ?? []).filter((c) => !isToken(c)))) p.add(`allowDirectFrom.${key}`, d, "each client once");
    }
  }
  if (props.accessLogs) p.check(isBucketName(props.accessLogs.bucket), "accessLogs.bucket", props.accessLogs.bucket, BUCKET_NAME_FORMAT);
  if (props.vpcCidrs) {
    p.check(isCidr(props.vpcCidrs.ipv4, "ipv4"), "vpcCidrs.ipv4", props.vpcCidrs.ipv4, IPV4_CIDR_FORMAT);
    if (props.vpcCidrs.ipv6 !== undefined) p.check(isCidr(props.vpcCidrs.ipv6, "ipv6"), "vpcCidrs.ipv6", props.vpcCidrs.ipv6, IPV6_CIDR_FORMAT);
  }
}
