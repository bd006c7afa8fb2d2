import { TerraformIterator, TerraformLocal, Token } from "cdktf";
import { Construct } from "constructs";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { DEFAULT_TLS_POLICY, type ListenerPort, type NlbTargetProps, type NlbVpcCidrs } from "./network-listener";
import { attrOr, exprList, exprMap, exprNumber, exprString, hcl, ipProtocolsExpr, keyedById } from "./terraform-values";

// A DualStackNlb's listeners given as one Terraform value (a module variable, a remote-state
// output): each resource of a listener is one resource with for_each over the listeners, keyed
// by each listener's id (or its map key or position), so that a listener added, removed or given
// another port leaves the others' addresses alone. The same defaults as NetworkListener apply,
// under the load balancer's written `target` settings. Internal: not exported from the package.

export interface ListenerCollectionProps {
  /** The listeners: a list or map of objects with the attributes of NlbListenerProps in snake_case. */
  readonly listeners: unknown;
  readonly loadBalancerArn: string;
  readonly vpcId: string;
  /** The load balancer's default target settings (written values). */
  readonly target?: NlbTargetProps;
  /** The load balancer's name: target groups get Name tags `<name>-<listener key>`. */
  readonly name?: string;
  /** The load balancer's own group: egress rules to the targets go there. */
  readonly securityGroupId?: string;
  readonly vpcCidrs?: NlbVpcCidrs;
  readonly tags?: Record<string, string>;
}

/** The resources of a collection of listeners, each one resource with for_each. */
export class ListenerCollection {
  readonly targetGroup: LbTargetGroup;
  readonly listener: LbListener;
  readonly attachment: LbTargetGroupAttachment;
  readonly egressRule?: VpcSecurityGroupEgressRule;
  /** Listener key -> target group ARN. */
  readonly targetGroupArns: string[];
  /** `[{ id, port, protocol }]` of the listeners, for consumer security groups. */
  readonly listenerPorts: ListenerPort[];

  constructor(scope: Construct, props: ListenerCollectionProps) {
    // The listeners by key, as a local value that every resource below iterates over.
    const keyed = new TerraformLocal(scope, "Listeners", exprMap(keyedById(hcl(props.listeners))));
    const listeners = hcl(keyed.asAnyMap);
    const defaults = props.target ?? {};
    const hc = defaults.healthCheck ?? {};
    // The expressions of one listener's settings, `l` being the listener object.
    const protocol = (l: string) => `upper(${attrOr(`${l}.protocol`, "TCP")})`;
    const targetPort = (l: string) => (defaults.port !== undefined ? attrOr(`${l}.target.port`, defaults.port) : `coalesce(try(${l}.target.port, null), ${l}.port)`);
    const targetIpType = (l: string) => attrOr(`${l}.target.ip_address_type`, defaults.ipAddressType ?? "ipv4");
    const healthPort = (l: string) => attrOr(`${l}.target.health_check.port`, hc.port);

    const forEach = TerraformIterator.fromMap(keyed.asAnyMap);
    const each = "each.value";
    const hcProtocol = `upper(${attrOr(`${each}.target.health_check.protocol`, hc.protocol ?? "TCP")})`;
    this.targetGroup = new LbTargetGroup(scope, "TargetGroup", {
      forEach,
      vpcId: props.vpcId,
      port: exprNumber(targetPort(each)),
      protocol: exprString(`${protocol(each)} == "TLS" ? "TCP" : ${protocol(each)}`),
      targetType: exprString(attrOr(`${each}.target.type`, defaults.type ?? "instance")),
      ipAddressType: exprString(targetIpType(each)),
      proxyProtocolV2: Token.asAny(`\${${attrOr(`${each}.target.proxy_protocol_v2`, defaults.proxyProtocolV2 ?? false)}}`),
      preserveClientIp: exprString(`try(tostring(${attrOr(`${each}.target.preserve_client_ip`, defaults.preserveClientIp)}), null)`),
      deregistrationDelay: exprString(`tostring(${attrOr(`${each}.target.deregistration_delay_seconds`, defaults.deregistrationDelaySeconds ?? 300)})`),
      healthCheck: {
        enabled: true,
        protocol: exprString(hcProtocol),
        port: exprString(`try(tostring(${healthPort(each)}), null)`),
        path: exprString(`${hcProtocol} == "TCP" ? null : ${attrOr(`${each}.target.health_check.path`, hc.path ?? "/")}`),
        matcher: exprString(`${hcProtocol} == "TCP" ? null : ${attrOr(`${each}.target.health_check.matcher`, hc.matcher ?? "200-399")}`),
        interval: exprNumber(attrOr(`${each}.target.health_check.interval_seconds`, hc.intervalSeconds)),
        healthyThreshold: exprNumber(attrOr(`${each}.target.health_check.healthy_threshold`, hc.healthyThreshold)),
        unhealthyThreshold: exprNumber(attrOr(`${each}.target.health_check.unhealthy_threshold`, hc.unhealthyThreshold)),
      },
      // (a name that is a Terraform value may be null: then no Name tag)
      tags: props.name === undefined ? props.tags : (exprMap(`merge(${hcl(props.tags ?? {})}, ${hcl(props.name)} == null ? {} : { Name = format("%s-%s", ${hcl(props.name)}, each.key) })`) as Record<string, string>),
      lifecycle: { createBeforeDestroy: true },
    });
    const group = (key: string) => `${this.targetGroup.fqn}[${key}]`;

    this.listener = new LbListener(scope, "Listener", {
      forEach,
      loadBalancerArn: props.loadBalancerArn,
      port: exprNumber(`${each}.port`),
      protocol: exprString(protocol(each)),
      certificateArn: exprString(`try(${each}.certificate_arn, null)`),
      sslPolicy: exprString(`${protocol(each)} == "TLS" ? ${attrOr(`${each}.ssl_policy`, DEFAULT_TLS_POLICY)} : null`),
      alpnPolicy: exprString(`try(${each}.alpn_policy, null)`),
      defaultAction: [{ type: "forward", targetGroupArn: exprString(`${group("each.key")}.arn`) }],
      tags: props.tags,
    });

    // One attachment per listener and target, keyed by both: removing a target re-registers no other.
    const targets = `{ for a in flatten([for k, l in ${listeners} : [for id in ${attrOr("l.target.ids", defaults.ids ?? [])} : { key = format("%s/%s", k, id), listener = k, id = id, port = ${targetPort("l")} }]]) : a.key => a }`;
    this.attachment = new LbTargetGroupAttachment(scope, "Target", {
      forEach: TerraformIterator.fromMap(new TerraformLocal(scope, "Targets", exprMap(targets)).asAnyMap),
      targetGroupArn: exprString(`${group("each.value.listener")}.arn`),
      targetId: exprString("each.value.id"),
      port: exprNumber("each.value.port"),
      lifecycle: { createBeforeDestroy: true },
    });

    if (props.securityGroupId !== undefined) {
      // Out to the targets on their port and, when it is another one, to their health check port.
      const rules =
        `{ for r in flatten([for k, l in ${listeners} : concat(` +
        `[for p in ${ipProtocolsExpr(protocol("l"))} : { key = format("%s/%s", k, p), port = ${targetPort("l")}, ip_protocol = p, family = ${targetIpType("l")}, health = false }], ` +
        `${healthPort("l")} != null && ${healthPort("l")} != ${targetPort("l")} ? [{ key = format("%s/health/tcp", k), port = ${healthPort("l")}, ip_protocol = "tcp", family = ${targetIpType("l")}, health = true }] : [])]) : r.key => r }`;
      const vpc = props.vpcCidrs ? undefined : new DataAwsVpc(scope, "Vpc", { id: props.vpcId });
      const ipv4 = props.vpcCidrs?.ipv4 ?? vpc!.cidrBlock;
      const ipv6 = props.vpcCidrs?.ipv6 ?? vpc?.ipv6CidrBlock;
      this.egressRule = new VpcSecurityGroupEgressRule(scope, "Egress", {
        forEach: TerraformIterator.fromMap(new TerraformLocal(scope, "EgressRules", exprMap(rules)).asAnyMap),
        securityGroupId: props.securityGroupId,
        ipProtocol: exprString("each.value.ip_protocol"),
        fromPort: exprNumber("each.value.port"),
        toPort: exprNumber("each.value.port"),
        cidrIpv4: exprString(`each.value.family == "ipv6" ? null : ${hcl(ipv4)}`),
        cidrIpv6: exprString(`each.value.family == "ipv6" ? ${hcl(ipv6)} : null`),
        description: exprString(`format("%s %d to %s in the VPC", upper(each.value.ip_protocol), each.value.port, each.value.health ? "target health checks" : "targets")`),
        tags: props.tags,
      });
    }

    this.targetGroupArns = exprList(`[for k, g in ${this.targetGroup.fqn} : g.arn]`);
    this.listenerPorts = Token.asAny(`\${[for k, l in ${this.listener.fqn} : { id = k, port = l.port, protocol = l.protocol }]}`) as unknown as ListenerPort[];
  }
}
