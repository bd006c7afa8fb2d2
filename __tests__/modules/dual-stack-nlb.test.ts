import * as crypto from "crypto";
import { Lazy, TerraformElement, TerraformOutput, TerraformVariable, Testing, Token } from "cdktf";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import {
  DualStackNlb,
  DualStackNlbProps,
  HealthCheckProtocol,
  ListenerProtocol,
  LoadBalancerIpAddressType,
  NlbTargetProps,
  PropsError,
  TargetIpAddressType,
  TargetType,
} from "../../modules";

const VPC = "vpc-0123456789abcdef0";
const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"];
const CERT = "arn:aws:acm:us-west-2:111111111111:certificate/0b2c3d4e-aaaa-bbbb-cccc-111122223333";

/** Minimal valid props, one TCP listener on port 80; `extra` overrides any of them. */
function props(extra: Partial<DualStackNlbProps> = {}): DualStackNlbProps {
  return { vpcId: VPC, subnetIds: SUBNETS, listeners: [{ port: 80 }], ...extra };
}

function synthNlb(extra: Partial<DualStackNlbProps> = {}): string {
  return Testing.synthScope((scope) => {
    new DualStackNlb(scope, "Nlb", props(extra));
  });
}

function build(extra: Partial<DualStackNlbProps>): () => void {
  return () => synthNlb(extra);
}

/** A value of the wrong type, as a caller without type checking could pass it. */
const bad = <T>(value: unknown): T => value as T;

type Json = Record<string, any>;

function resourcesOf(synth: string, type: string): Json[] {
  return Object.values((JSON.parse(synth).resource?.[type] ?? {}) as Json);
}

function targetGroupByPort(synth: string, listenerPort: number): Json {
  const parsed = JSON.parse(synth);
  const listener = Object.values(parsed.resource.aws_lb_listener as Json).find((l: Json) => l.port === listenerPort) as Json;
  const tgKey = /^\$\{aws_lb_target_group\.(.+)\.arn\}$/.exec(listener.default_action[0].target_group_arn)![1];
  return parsed.resource.aws_lb_target_group[tgKey];
}

describe("DualStackNlb", () => {
  describe("load balancer", () => {
    test("is an internal network load balancer", () => {
      // GIVEN minimal props
      // WHEN synthesized
      const synth = synthNlb();

      // THEN the load balancer is an internal NLB on the given subnets
      expect(synth).toHaveResourceWithProperties(Lb, { internal: true, load_balancer_type: "network", subnets: SUBNETS });
    });

    test("is dual-stack by default", () => {
      // GIVEN no ipAddressType
      // WHEN synthesized
      const synth = synthNlb();

      // THEN the load balancer is dualstack
      expect(synth).toHaveResourceWithProperties(Lb, { ip_address_type: "dualstack" });
    });

    test("can be IPv4 only", () => {
      // GIVEN ipAddressType IPV4
      // WHEN synthesized
      const synth = synthNlb({ ipAddressType: LoadBalancerIpAddressType.IPV4 });

      // THEN the load balancer is ipv4
      expect(synth).toHaveResourceWithProperties(Lb, { ip_address_type: "ipv4" });
    });

    test("has cross-zone load balancing on by default", () => {
      // GIVEN no crossZoneEnabled
      // WHEN synthesized
      const synth = synthNlb();

      // THEN cross-zone load balancing is enabled
      expect(synth).toHaveResourceWithProperties(Lb, { enable_cross_zone_load_balancing: true });
    });

    test("can turn cross-zone load balancing off", () => {
      // GIVEN crossZoneEnabled false
      // WHEN synthesized
      const synth = synthNlb({ crossZoneEnabled: false });

      // THEN cross-zone load balancing is disabled
      expect(synth).toHaveResourceWithProperties(Lb, { enable_cross_zone_load_balancing: false });
    });

    test("has deletion protection on by default: deleting or replacing it cuts every consumer", () => {
      // GIVEN no deletionProtection
      // WHEN synthesized
      const synth = synthNlb();

      // THEN deletion protection is on
      expect(synth).toHaveResourceWithProperties(Lb, { enable_deletion_protection: true });
    });

    test("can turn deletion protection off", () => {
      // GIVEN deletionProtection false (before a planned removal)
      // WHEN synthesized
      const synth = synthNlb({ deletionProtection: false });

      // THEN deletion protection is off
      expect(synth).toHaveResourceWithProperties(Lb, { enable_deletion_protection: false });
    });

    test("takes the given name, and none by default", () => {
      // GIVEN one load balancer with a name and one without
      // WHEN synthesized
      const named = synthNlb({ name: "pl-demo" });
      const unnamed = synthNlb();

      // THEN the name is set only when given: Terraform generates one otherwise
      expect(named).toHaveResourceWithProperties(Lb, { name: "pl-demo" });
      expect(resourcesOf(unnamed, "aws_lb")[0]).not.toHaveProperty("name");
    });

    test("passes your own security groups through, instead of creating one", () => {
      // GIVEN security group ids
      // WHEN synthesized
      const synth = synthNlb({ securityGroupIds: ["sg-0123456789abcdef0"] });

      // THEN the load balancer has them, and no group of its own
      expect(synth).toHaveResourceWithProperties(Lb, { security_groups: ["sg-0123456789abcdef0"] });
      expect(synth).not.toHaveResource(SecurityGroup);
    });

    test("leaves the PrivateLink inbound rule setting to AWS by default", () => {
      // GIVEN no enforceSecurityGroupInboundRulesOnPrivateLinkTraffic
      // WHEN synthesized
      const synth = synthNlb({ securityGroupIds: ["sg-0123456789abcdef0"] });

      // THEN the attribute is not set
      expect(resourcesOf(synth, "aws_lb")[0]).not.toHaveProperty("enforce_security_group_inbound_rules_on_private_link_traffic");
    });

    test("enforces security group inbound rules on PrivateLink traffic when true", () => {
      // GIVEN security groups and the setting true
      // WHEN synthesized
      const synth = synthNlb({ securityGroupIds: ["sg-0123456789abcdef0"], enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: true });

      // THEN the attribute is "on"
      expect(synth).toHaveResourceWithProperties(Lb, { enforce_security_group_inbound_rules_on_private_link_traffic: "on" });
    });

    test("does not enforce security group inbound rules on PrivateLink traffic when false", () => {
      // GIVEN security groups and the setting false
      // WHEN synthesized
      const synth = synthNlb({ securityGroupIds: ["sg-0123456789abcdef0"], enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false });

      // THEN the attribute is "off"
      expect(synth).toHaveResourceWithProperties(Lb, { enforce_security_group_inbound_rules_on_private_link_traffic: "off" });
    });

    test("writes access logs to the given bucket and prefix", () => {
      // GIVEN access logs with a prefix
      // WHEN synthesized
      const synth = synthNlb({ accessLogs: { bucket: "logs-bucket", prefix: "nlb" } });

      // THEN access logs are enabled to that bucket and prefix
      expect(synth).toHaveResourceWithProperties(Lb, { access_logs: { bucket: "logs-bucket", prefix: "nlb", enabled: true } });
    });

    test("writes access logs to the bucket root without a prefix", () => {
      // GIVEN access logs without a prefix
      // WHEN synthesized
      const synth = synthNlb({ accessLogs: { bucket: "logs-bucket" } });

      // THEN access logs are enabled with no prefix
      expect(synth).toHaveResourceWithProperties(Lb, { access_logs: { bucket: "logs-bucket", enabled: true } });
    });

    test("has no access logs by default", () => {
      // GIVEN no accessLogs
      // WHEN synthesized
      const synth = synthNlb();

      // THEN the load balancer has no access_logs block
      expect(resourcesOf(synth, "aws_lb")[0]).not.toHaveProperty("access_logs");
    });

    test("tags the load balancer, its listeners and target groups", () => {
      // GIVEN tags
      const tags = { team: "platform" };

      // WHEN synthesized
      const synth = synthNlb({ tags });

      // THEN every resource that takes tags has them
      expect(synth).toHaveResourceWithProperties(Lb, { tags });
      expect(synth).toHaveResourceWithProperties(LbListener, { tags });
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { tags });
    });
  });

  describe("security group", () => {
    const rules = (synth: string, type: string) => resourcesOf(synth, type);

    test("the load balancer gets its own group by default; PrivateLink traffic is not judged by its inbound rules", () => {
      // GIVEN no group settings
      // WHEN synthesized
      const synth = synthNlb();
      // THEN a group of its own is created in the VPC, with no inline rules, and attached to the NLB
      const [sg] = Object.entries<Json>(JSON.parse(synth).resource.aws_security_group);
      expect(sg[1]).toMatchObject({ vpc_id: VPC, name_prefix: "privatelink-nlb-" });
      expect(sg[1]).not.toHaveProperty("ingress");
      expect(sg[1]).not.toHaveProperty("egress");
      expect(synth).toHaveResourceWithProperties(Lb, { security_groups: [`\${aws_security_group.${sg[0]}.id}`], enforce_security_group_inbound_rules_on_private_link_traffic: "off" });
    });

    test("admits no one directly by default: no ingress rule", () => {
      expect(rules(synthNlb(), "aws_vpc_security_group_ingress_rule")).toEqual([]);
    });

    test("admits listed direct clients on each listener port, per IP protocol", () => {
      // GIVEN a TCP listener on 443 and a TCP_UDP one on 53, and one client of each kind
      const synth = synthNlb({
        listeners: [{ port: 443 }, { port: 53, protocol: ListenerProtocol.TCP_UDP }],
        allowDirectFrom: { securityGroupIds: ["sg-0123456789abcdef1"], ipv4Cidrs: ["10.9.0.0/16"], ipv6Cidrs: ["2001:db8::/56"] },
      });
      // THEN 3 sources x (1 + 2) protocol-ports = 9 ingress rules, each on a listener port
      const ingress = rules(synth, "aws_vpc_security_group_ingress_rule");
      expect(ingress).toHaveLength(9);
      expect(ingress.map((r) => `${r.ip_protocol}${r.from_port}`).sort()).toEqual(["tcp443", "tcp443", "tcp443", "tcp53", "tcp53", "tcp53", "udp53", "udp53", "udp53"]);
      expect(ingress).toEqual(expect.arrayContaining([expect.objectContaining({ referenced_security_group_id: "sg-0123456789abcdef1", from_port: 443 }), expect.objectContaining({ cidr_ipv6: "2001:db8::/56", from_port: 53, ip_protocol: "udp" })]));
    });

    test("lets traffic out only to the VPC, on each target port, and to the health check port when it differs", () => {
      // GIVEN a listener on 443 to targets on 8443 with HTTP health checks on 8080, and the VPC's CIDRs
      const synth = synthNlb({
        listeners: [{ port: 443 }],
        target: { port: 8443, healthCheck: { protocol: HealthCheckProtocol.HTTP, port: 8080 } },
        vpcCidrs: { ipv4: "10.0.0.0/16", ipv6: "2001:db8:1::/56" },
      });
      // THEN two egress rules: 8443 and 8080 over TCP to the VPC's IPv4 block (the targets are IPv4)
      const egress = rules(synth, "aws_vpc_security_group_egress_rule");
      expect(egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4, r.cidr_ipv6]).sort()).toEqual([
        ["tcp", 8080, 8080, "10.0.0.0/16", undefined],
        ["tcp", 8443, 8443, "10.0.0.0/16", undefined],
      ]);
    });

    test("IPv6 targets get IPv6 egress; without vpcCidrs the VPC's blocks are read from an aws_vpc data source", () => {
      const synth = synthNlb({ target: { type: TargetType.IP, ipAddressType: TargetIpAddressType.IPV6 } });
      const [vpcKey] = Object.keys(JSON.parse(synth).data.aws_vpc);
      expect(JSON.parse(synth).data.aws_vpc[vpcKey]).toMatchObject({ id: VPC });
      expect(rules(synth, "aws_vpc_security_group_egress_rule")).toEqual([expect.objectContaining({ from_port: 80, cidr_ipv6: `\${data.aws_vpc.${vpcKey}.ipv6_cidr_block}` })]);
    });

    test("withoutSecurityGroup creates none and leaves the PrivateLink setting unset", () => {
      const synth = synthNlb({ withoutSecurityGroup: true });
      expect(synth).not.toHaveResource(SecurityGroup);
      const lb = resourcesOf(synth, "aws_lb")[0];
      expect(lb).not.toHaveProperty("security_groups");
      expect(lb).not.toHaveProperty("enforce_security_group_inbound_rules_on_private_link_traffic");
    });

    test("exposes its own group, for the targets' groups to reference", () => {
      let nlb!: DualStackNlb;
      const synth = Testing.synthScope((scope) => {
        nlb = new DualStackNlb(scope, "Nlb", props());
        new TerraformOutput(scope, "group", { value: nlb.securityGroupId });
      });
      expect(nlb.securityGroup).toBeInstanceOf(SecurityGroup);
      const [key] = Object.keys(JSON.parse(synth).resource.aws_security_group);
      expect(JSON.parse(synth).output.group.value).toBe(`\${aws_security_group.${key}.id}`);
    });
  });

  describe("listeners", () => {
    test("creates one listener and one target group per listener, forwarding to its own group", () => {
      // GIVEN two listeners
      // WHEN synthesized
      const synth = synthNlb({ listeners: [{ port: 80 }, { port: 8080 }] });

      // THEN each listener forwards to a target group on its own port
      expect(resourcesOf(synth, "aws_lb_listener")).toHaveLength(2);
      expect(resourcesOf(synth, "aws_lb_target_group")).toHaveLength(2);
      expect(targetGroupByPort(synth, 80)).toMatchObject({ port: 80 });
      expect(targetGroupByPort(synth, 8080)).toMatchObject({ port: 8080 });
    });

    test("listens with TCP by default", () => {
      // GIVEN a listener without a protocol
      // WHEN synthesized
      const synth = synthNlb();

      // THEN the listener and its target group use TCP
      expect(synth).toHaveResourceWithProperties(LbListener, { port: 80, protocol: "TCP" });
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { port: 80, protocol: "TCP" });
    });

    test("has no certificate, SSL policy nor ALPN policy on a TCP listener", () => {
      // GIVEN a TCP listener
      // WHEN synthesized
      const synth = synthNlb();

      // THEN none of the TLS settings are present
      const listener = resourcesOf(synth, "aws_lb_listener")[0];
      expect(listener).not.toHaveProperty("ssl_policy");
      expect(listener).not.toHaveProperty("certificate_arn");
      expect(listener).not.toHaveProperty("alpn_policy");
    });

    test("gives a TLS listener its certificate and the default TLS 1.3 policy", () => {
      // GIVEN a TLS listener without sslPolicy
      // WHEN synthesized
      const synth = synthNlb({ listeners: [{ port: 443, protocol: ListenerProtocol.TLS, certificateArn: CERT }] });

      // THEN the listener has the certificate and ELBSecurityPolicy-TLS13-1-2-2021-06
      expect(synth).toHaveResourceWithProperties(LbListener, {
        protocol: "TLS",
        certificate_arn: CERT,
        ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      });
    });

    test("uses the given SSL and ALPN policies on a TLS listener", () => {
      // GIVEN a TLS listener with sslPolicy and alpnPolicy
      // WHEN synthesized
      const synth = synthNlb({
        listeners: [{ port: 443, protocol: ListenerProtocol.TLS, certificateArn: CERT, sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06", alpnPolicy: "HTTP2Preferred" }],
      });

      // THEN the listener has both
      expect(synth).toHaveResourceWithProperties(LbListener, { ssl_policy: "ELBSecurityPolicy-TLS13-1-3-2021-06", alpn_policy: "HTTP2Preferred" });
    });

    test("sends TCP to the targets of a TLS listener", () => {
      // GIVEN a TLS listener
      // WHEN synthesized
      const synth = synthNlb({ listeners: [{ port: 443, protocol: ListenerProtocol.TLS, certificateArn: CERT }] });

      // THEN its target group uses TCP: TLS ends at the load balancer
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { port: 443, protocol: "TCP" });
      expect(synth).not.toHaveResourceWithProperties(LbTargetGroup, { protocol: "TLS" });
    });

    test("keeps UDP and TCP_UDP on the target group", () => {
      // GIVEN a UDP and a TCP_UDP listener
      // WHEN synthesized
      const synth = synthNlb({ listeners: [{ port: 514, protocol: ListenerProtocol.UDP }, { port: 53, protocol: ListenerProtocol.TCP_UDP }] });

      // THEN each target group has its listener's protocol
      expect(synth).toHaveResourceWithProperties(LbListener, { port: 514, protocol: "UDP" });
      expect(synth).toHaveResourceWithProperties(LbListener, { port: 53, protocol: "TCP_UDP" });
      expect(targetGroupByPort(synth, 514)).toMatchObject({ protocol: "UDP" });
      expect(targetGroupByPort(synth, 53)).toMatchObject({ protocol: "TCP_UDP" });
    });

    test("reports each listener's port and protocol", () => {
      // GIVEN a TCP and a TLS listener
      let nlb!: DualStackNlb;

      // WHEN constructed
      Testing.synthScope((scope) => {
        nlb = new DualStackNlb(scope, "Nlb", props({ listeners: [{ port: 80 }, { port: 443, protocol: ListenerProtocol.TLS, certificateArn: CERT }] }));
      });

      // THEN listenerPorts lists both, with the protocol defaulted
      expect(nlb.listenerPorts).toEqual([
        { port: 80, protocol: ListenerProtocol.TCP },
        { port: 443, protocol: ListenerProtocol.TLS },
      ]);
      expect(nlb.ipAddressType).toBe(LoadBalancerIpAddressType.DUALSTACK);
    });

    test("exposes the load balancer's and target groups' attributes as references", () => {
      // GIVEN a load balancer with two listeners whose attributes are outputs
      // WHEN synthesized
      const synth = Testing.synthScope((scope) => {
        const nlb = new DualStackNlb(scope, "Nlb", props({ listeners: [{ port: 80 }, { port: 81 }] }));
        new TerraformOutput(scope, "arn", { value: nlb.loadBalancerArn });
        new TerraformOutput(scope, "dns", { value: nlb.dnsName });
        new TerraformOutput(scope, "tgs", { value: nlb.targetGroupArns });
      });

      // THEN the outputs refer to the load balancer and both target groups
      const parsed = JSON.parse(synth);
      const lbKey = Object.keys(parsed.resource.aws_lb)[0];
      const tgKeys = Object.keys(parsed.resource.aws_lb_target_group);
      expect(parsed.output.arn.value).toBe(`\${aws_lb.${lbKey}.arn}`);
      expect(parsed.output.dns.value).toBe(`\${aws_lb.${lbKey}.dns_name}`);
      expect(parsed.output.tgs.value).toEqual(tgKeys.map((k) => `\${aws_lb_target_group.${k}.arn}`));
    });
  });

  describe("target groups", () => {
    test("leaves target group names to Terraform and tags each with the load balancer and listener", () => {
      // GIVEN a named load balancer with a TCP and a TLS listener
      // WHEN synthesized
      const synth = synthNlb({ name: "pl-demo", listeners: [{ port: 80 }, { port: 443, protocol: ListenerProtocol.TLS, certificateArn: CERT, id: "tls" }] });

      // THEN no target group has a fixed name (a replacement is created before the old one goes)
      const groups = resourcesOf(synth, "aws_lb_target_group");
      expect(groups).toHaveLength(2);
      for (const tg of groups) expect(tg).not.toHaveProperty("name");
      // AND the Name tag says which listener each serves: by id, else by position
      expect(targetGroupByPort(synth, 80).tags).toEqual({ Name: "pl-demo-0" });
      expect(targetGroupByPort(synth, 443).tags).toEqual({ Name: "pl-demo-tls" });
    });

    test("target groups are created before the ones they replace, and so are their attachments", () => {
      // GIVEN a listener with a registered target
      // WHEN synthesized
      const synth = synthNlb({ target: { ids: ["i-0123456789abcdef0"] } });

      // THEN a target port change (the only thing that replaces a group) never leaves the listener without one
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { lifecycle: { create_before_destroy: true } });
      expect(synth).toHaveResourceWithProperties(LbTargetGroupAttachment, { lifecycle: { create_before_destroy: true } });
    });

    test("leaves target group names to Terraform when the load balancer has no name", () => {
      // GIVEN no name
      // WHEN synthesized
      const synth = synthNlb();

      // THEN the target group has no name
      expect(resourcesOf(synth, "aws_lb_target_group")[0]).not.toHaveProperty("name");
    });

    test("puts target groups in the load balancer's VPC with instance IPv4 targets by default", () => {
      // GIVEN no target settings
      // WHEN synthesized
      const synth = synthNlb();

      // THEN the target group holds IPv4 instance targets in the VPC
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { vpc_id: VPC, target_type: "instance", ip_address_type: "ipv4" });
    });

    test("registers IPv6 ip targets when asked", () => {
      // GIVEN ip targets with IPv6 addresses
      // WHEN synthesized
      const synth = synthNlb({ target: { type: TargetType.IP, ipAddressType: TargetIpAddressType.IPV6 } });

      // THEN the target group has them
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { target_type: "ip", ip_address_type: "ipv6" });
    });

    test("sends traffic to the target port when given", () => {
      // GIVEN a target port different from the listener port
      // WHEN synthesized
      const synth = synthNlb({ target: { port: 8080 } });

      // THEN the target group uses the target port while the listener keeps its own
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { port: 8080 });
      expect(synth).toHaveResourceWithProperties(LbListener, { port: 80 });
    });

    test("has proxy protocol v2 off by default", () => {
      // GIVEN no proxyProtocolV2
      // WHEN synthesized
      const synth = synthNlb();

      // THEN proxy protocol v2 is false
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { proxy_protocol_v2: false });
    });

    test("turns proxy protocol v2 on when asked", () => {
      // GIVEN proxyProtocolV2 true
      // WHEN synthesized
      const synth = synthNlb({ target: { proxyProtocolV2: true } });

      // THEN proxy protocol v2 is true
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { proxy_protocol_v2: true });
    });

    test("leaves client IP preservation to AWS by default", () => {
      // GIVEN no preserveClientIp
      // WHEN synthesized
      const synth = synthNlb();

      // THEN preserve_client_ip is not set
      expect(resourcesOf(synth, "aws_lb_target_group")[0]).not.toHaveProperty("preserve_client_ip");
    });

    test("sets client IP preservation as a string when given", () => {
      // GIVEN preserveClientIp true on one listener and false on the other
      // WHEN synthesized
      const synth = synthNlb({
        listeners: [
          { port: 80, target: { preserveClientIp: true } },
          { port: 81, target: { preserveClientIp: false } },
        ],
      });

      // THEN the provider's string values are used
      expect(targetGroupByPort(synth, 80)).toMatchObject({ preserve_client_ip: "true" });
      expect(targetGroupByPort(synth, 81)).toMatchObject({ preserve_client_ip: "false" });
    });

    test("drains deregistering targets for 300 seconds by default", () => {
      // GIVEN no deregistrationDelaySeconds
      // WHEN synthesized
      const synth = synthNlb();

      // THEN the delay is "300"
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { deregistration_delay: "300" });
    });

    test("uses the given deregistration delay, including zero", () => {
      // GIVEN delays of 30 and 0 seconds
      // WHEN synthesized
      const synth = synthNlb({
        listeners: [
          { port: 80, target: { deregistrationDelaySeconds: 30 } },
          { port: 81, target: { deregistrationDelaySeconds: 0 } },
        ],
      });

      // THEN each target group has its delay
      expect(targetGroupByPort(synth, 80)).toMatchObject({ deregistration_delay: "30" });
      expect(targetGroupByPort(synth, 81)).toMatchObject({ deregistration_delay: "0" });
    });

    test("checks health over TCP on the traffic port by default", () => {
      // GIVEN no healthCheck
      // WHEN synthesized
      const synth = synthNlb();

      // THEN the health check is TCP with no port, path nor matcher (nested objects match exactly)
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { health_check: { enabled: true, protocol: "TCP" } });
    });

    test("has no path nor matcher on a TCP health check with other settings", () => {
      // GIVEN a TCP health check with a port, interval and thresholds
      // WHEN synthesized
      const synth = synthNlb({ target: { healthCheck: { port: 9000, intervalSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 4 } } });

      // THEN exactly those settings are present
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, {
        health_check: { enabled: true, protocol: "TCP", port: "9000", interval: 10, healthy_threshold: 2, unhealthy_threshold: 4 },
      });
    });

    test("defaults an HTTP health check to path / and matcher 200-399", () => {
      // GIVEN an HTTP health check without path or matcher
      // WHEN synthesized
      const synth = synthNlb({ target: { healthCheck: { protocol: HealthCheckProtocol.HTTP } } });

      // THEN path and matcher have their defaults
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { health_check: { enabled: true, protocol: "HTTP", path: "/", matcher: "200-399" } });
    });

    test("uses the given path and matcher on an HTTPS health check", () => {
      // GIVEN an HTTPS health check with path, matcher and port
      // WHEN synthesized
      const synth = synthNlb({ target: { healthCheck: { protocol: HealthCheckProtocol.HTTPS, path: "/healthz", matcher: "200", port: 8443 } } });

      // THEN they are used
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, {
        health_check: { enabled: true, protocol: "HTTPS", path: "/healthz", matcher: "200", port: "8443" },
      });
    });

    test("lets a listener override the default target settings", () => {
      // GIVEN default instance targets on port 8080 with a 30 s delay, and a listener with ip targets on 9090
      const target: NlbTargetProps = { port: 8080, deregistrationDelaySeconds: 30 };

      // WHEN synthesized
      const synth = synthNlb({ target, listeners: [{ port: 80 }, { port: 443, target: { type: TargetType.IP, port: 9090 } }] });

      // THEN the first listener uses the defaults; the second its own settings merged over the defaults
      expect(targetGroupByPort(synth, 80)).toMatchObject({ target_type: "instance", port: 8080, deregistration_delay: "30" });
      expect(targetGroupByPort(synth, 443)).toMatchObject({ target_type: "ip", port: 9090, deregistration_delay: "30" });
    });
  });

  describe("target attachments", () => {
    test("attaches every target id to every listener's group on the listener port", () => {
      // GIVEN two instance ids and two listeners
      const ids = ["i-0123456789abcdef0", "i-0123456789abcdef1"];

      // WHEN synthesized
      const synth = synthNlb({ target: { ids }, listeners: [{ port: 80 }, { port: 443 }] });

      // THEN there are four attachments, one per id and listener, each on its listener's port
      const attachments = resourcesOf(synth, "aws_lb_target_group_attachment");
      expect(attachments).toHaveLength(4);
      expect(attachments.map((a) => [a.target_id, a.port]).sort()).toEqual([
        [ids[0], 443],
        [ids[0], 80],
        [ids[1], 443],
        [ids[1], 80],
      ]);
      const parsed = JSON.parse(synth);
      const tg80 = Object.entries(parsed.resource.aws_lb_target_group as Json).find(([, tg]) => tg.port === 80)![0];
      expect(synth).toHaveResourceWithProperties(LbTargetGroupAttachment, {
        target_group_arn: `\${aws_lb_target_group.${tg80}.arn}`,
        target_id: ids[0],
        port: 80,
      });
    });

    test("attaches on the target port when one is given", () => {
      // GIVEN an ip target on port 8080
      // WHEN synthesized
      const synth = synthNlb({ target: { type: TargetType.IP, port: 8080, ids: ["10.0.1.10"] } });

      // THEN the attachment uses port 8080
      expect(synth).toHaveResourceWithProperties(LbTargetGroupAttachment, { target_id: "10.0.1.10", port: 8080 });
    });

    test("attaches per-listener target ids only to that listener's group", () => {
      // GIVEN ids on the second listener only
      // WHEN synthesized
      const synth = synthNlb({ listeners: [{ port: 80 }, { port: 443, target: { ids: ["i-0123456789abcdef0"] } }] });

      // THEN there is one attachment, on port 443
      const attachments = resourcesOf(synth, "aws_lb_target_group_attachment");
      expect(attachments).toHaveLength(1);
      expect(attachments[0]).toMatchObject({ target_id: "i-0123456789abcdef0", port: 443 });
    });

    test("attaches nothing without target ids", () => {
      // GIVEN no ids
      // WHEN synthesized
      const synth = synthNlb({ target: { type: TargetType.IP } });

      // THEN there is no attachment
      expect(synth).not.toHaveResource(LbTargetGroupAttachment);
    });
  });

  describe("Terraform addresses", () => {
    const addresses = (synth: string, type: string): string[] => Object.keys(JSON.parse(synth).resource?.[type] ?? {}).sort();
    /** The address cdktf gave a construct id under scope "Nlb" before 0.2 (its path hashed, as cdktf does). */
    const earlier = (type: string, id: string): string => {
      const hash = crypto.createHash("md5").update(`Nlb/${id}`).digest("hex").slice(0, 8).toUpperCase();
      return `${type}.Nlb_${id.replace(/[^A-Za-z0-9_-]/g, "")}_${hash}`;
    };

    test("do not contain the port: a port change keeps every address and changes the listener in place", () => {
      // GIVEN the same load balancer with its listener on 80, then on 8080
      const before = synthNlb({ target: { ids: ["i-0123456789abcdef0"] } });
      const after = synthNlb({ listeners: [{ port: 8080 }], target: { ids: ["i-0123456789abcdef0"] } });

      // THEN listener, target group and attachment keep their addresses; only values change
      for (const type of ["aws_lb_listener", "aws_lb_target_group", "aws_lb_target_group_attachment"]) expect(addresses(after, type)).toEqual(addresses(before, type));
      expect(resourcesOf(after, "aws_lb_listener")[0].port).toBe(8080);
      for (const key of addresses(after, "aws_lb_listener")) expect(key).not.toMatch(/80/);
    });

    test("moved blocks carry state over from the addresses of earlier versions, which held protocol and port", () => {
      // GIVEN a TCP listener on 80 with one target
      // WHEN synthesized
      const parsed = JSON.parse(synthNlb({ target: { ids: ["i-0123456789abcdef0"] } }));

      // THEN each resource has a moved block from its earlier address to its current one
      const [listener] = addresses(JSON.stringify(parsed), "aws_lb_listener");
      const [group] = addresses(JSON.stringify(parsed), "aws_lb_target_group");
      const [attachment] = addresses(JSON.stringify(parsed), "aws_lb_target_group_attachment");
      expect(parsed.moved).toEqual(
        expect.arrayContaining([
          { from: earlier("aws_lb_listener", "Listener-tcp80"), to: `aws_lb_listener.${listener}` },
          { from: earlier("aws_lb_target_group", "TargetGroup-tcp80"), to: `aws_lb_target_group.${group}` },
          { from: earlier("aws_lb_target_group_attachment", "TargetGroup-tcp80-Target0"), to: `aws_lb_target_group_attachment.${attachment}` },
        ]),
      );
      expect(parsed.moved).toHaveLength(3);
    });

    test("stay what they were before listeners were NetworkListeners: every address and moved block, pinned", () => {
      // GIVEN a named TCP listener, TLS with its own ip targets, TCP_UDP with IPv6 targets, a named
      // UDP listener; a health check port; one direct client of each kind; no vpcCidrs
      let nlb!: DualStackNlb;
      const parsed = JSON.parse(
        Testing.synthScope((scope) => {
          nlb = new DualStackNlb(scope, "Nlb", {
            ...props({ name: "pl-demo" }),
            listeners: [
              { id: "api", port: 80 },
              { port: 443, protocol: ListenerProtocol.TLS, certificateArn: CERT, target: { type: TargetType.IP, port: 8443, ids: ["10.0.1.10"] } },
              { port: 53, protocol: ListenerProtocol.TCP_UDP, target: { type: TargetType.IP, ipAddressType: TargetIpAddressType.IPV6, ids: ["2001:db8::10"] } },
              { id: "syslog", port: 514, protocol: ListenerProtocol.UDP },
            ],
            target: { ids: ["i-0123456789abcdef0"], healthCheck: { protocol: HealthCheckProtocol.HTTP, port: 8080 } },
            allowDirectFrom: { securityGroupIds: ["sg-0123456789abcdef1"], ipv4Cidrs: ["10.9.0.0/16"], ipv6Cidrs: ["2001:db8:1::/56"] },
          });
        }),
      );

      // THEN each resource has the address it has always had
      const all = (section: Json = {}, prefix = "") => Object.entries<Json>(section).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${prefix}${type}.${id}`));
      expect([...all(parsed.resource), ...all(parsed.data, "data.")].sort()).toEqual([
        "aws_lb.Nlb_LoadBalancer_4465B9B6",
        "aws_lb_listener.Nlb_Listener-1_98E53F38",
        "aws_lb_listener.Nlb_Listener-2_4B7932CD",
        "aws_lb_listener.Nlb_Listener-api_3416E985",
        "aws_lb_listener.Nlb_Listener-syslog_A7B09422",
        "aws_lb_target_group.Nlb_TargetGroup-1_7B73199F",
        "aws_lb_target_group.Nlb_TargetGroup-2_212FA9CE",
        "aws_lb_target_group.Nlb_TargetGroup-api_CBC1341E",
        "aws_lb_target_group.Nlb_TargetGroup-syslog_2F84D2B5",
        "aws_lb_target_group_attachment.Nlb_TargetGroup-1-Target-10_0_1_10_DDEA5379",
        "aws_lb_target_group_attachment.Nlb_TargetGroup-2-Target-2001_db8__10_06676921",
        "aws_lb_target_group_attachment.Nlb_TargetGroup-api-Target-i-0123456789abcdef0_44E44BB3",
        "aws_lb_target_group_attachment.Nlb_TargetGroup-syslog-Target-i-0123456789abcdef0_403F3E60",
        "aws_security_group.Nlb_SecurityGroup_1270C5C8",
        "aws_vpc_security_group_egress_rule.Nlb_Egress-1-health-tcp_F0D38D70",
        "aws_vpc_security_group_egress_rule.Nlb_Egress-1-tcp_390A2C05",
        "aws_vpc_security_group_egress_rule.Nlb_Egress-2-health-tcp_1D898B17",
        "aws_vpc_security_group_egress_rule.Nlb_Egress-2-tcp_82D0D21C",
        "aws_vpc_security_group_egress_rule.Nlb_Egress-2-udp_C0A1676C",
        "aws_vpc_security_group_egress_rule.Nlb_Egress-api-health-tcp_937882A0",
        "aws_vpc_security_group_egress_rule.Nlb_Egress-api-tcp_BFFE13FA",
        "aws_vpc_security_group_egress_rule.Nlb_Egress-syslog-health-tcp_4BD59607",
        "aws_vpc_security_group_egress_rule.Nlb_Egress-syslog-udp_81728341",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-1-tcp-10_9_0_0_16_61310054",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-1-tcp-2001_db8_1___56_F3C34D97",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-1-tcp-sg-0123456789abcdef1_12B32730",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-2-tcp-10_9_0_0_16_28EA472D",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-2-tcp-2001_db8_1___56_31BDCD67",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-2-tcp-sg-0123456789abcdef1_BAADC442",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-2-udp-10_9_0_0_16_83F46B3F",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-2-udp-2001_db8_1___56_3CA88713",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-2-udp-sg-0123456789abcdef1_D32D7085",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-api-tcp-10_9_0_0_16_8A4AC7E0",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-api-tcp-2001_db8_1___56_1C8134F9",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-api-tcp-sg-0123456789abcdef1_3920A6D7",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-syslog-udp-10_9_0_0_16_744FAD18",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-syslog-udp-2001_db8_1___56_57942755",
        "aws_vpc_security_group_ingress_rule.Nlb_Ingress-syslog-udp-sg-0123456789abcdef1_F86B17E0",
        "data.aws_vpc.Nlb_Vpc_108D3C19",
      ]);
      // AND the same moved blocks, in the same order, from the addresses before 0.2
      const move = (type: string, from: string, to: string) => ({ from: `${type}.Nlb_${from}`, to: `${type}.Nlb_${to}` });
      expect(parsed.moved).toEqual([
        move("aws_lb_target_group", "TargetGroup-tcp80_14D2A877", "TargetGroup-api_CBC1341E"),
        move("aws_lb_listener", "Listener-tcp80_A194C0D3", "Listener-api_3416E985"),
        move("aws_lb_target_group_attachment", "TargetGroup-tcp80-Target0_99F01A29", "TargetGroup-api-Target-i-0123456789abcdef0_44E44BB3"),
        move("aws_lb_target_group", "TargetGroup-tls443_B00A123E", "TargetGroup-1_7B73199F"),
        move("aws_lb_listener", "Listener-tls443_DEEB4B8B", "Listener-1_98E53F38"),
        move("aws_lb_target_group_attachment", "TargetGroup-tls443-Target0_D9F79950", "TargetGroup-1-Target-10_0_1_10_DDEA5379"),
        move("aws_lb_target_group", "TargetGroup-tcpudp53_6C779D62", "TargetGroup-2_212FA9CE"),
        move("aws_lb_listener", "Listener-tcpudp53_463B0C2D", "Listener-2_4B7932CD"),
        move("aws_lb_target_group_attachment", "TargetGroup-tcpudp53-Target0_D1A29BEB", "TargetGroup-2-Target-2001_db8__10_06676921"),
        move("aws_lb_target_group", "TargetGroup-udp514_F5FCCC50", "TargetGroup-syslog_2F84D2B5"),
        move("aws_lb_listener", "Listener-udp514_7953E1BA", "Listener-syslog_A7B09422"),
        move("aws_lb_target_group_attachment", "TargetGroup-udp514-Target0_A8FBC1B1", "TargetGroup-syslog-Target-i-0123456789abcdef0_403F3E60"),
      ]);
      // AND the resources are still children of the load balancer (the app writes their paths into its output)
      const elements = nlb.node.findAll().filter((c) => TerraformElement.isTerraformElement(c));
      expect(elements).toHaveLength(39);
      expect(elements.filter((e) => e.node.scope !== nlb)).toEqual([]);
      // AND one NetworkListener per listener groups them, holding none of them itself
      expect(nlb.networkListeners.map((l) => l.node.path.split("/").slice(1))).toEqual([["Nlb", "NetworkListener-api"], ["Nlb", "NetworkListener-1"], ["Nlb", "NetworkListener-2"], ["Nlb", "NetworkListener-syslog"]]);
      expect(nlb.networkListeners.map((l) => l.listener)).toEqual(nlb.listeners);
      expect(nlb.networkListeners.map((l) => l.targetGroup)).toEqual(nlb.targetGroups);
      expect(nlb.networkListeners.map((l) => [l.attachments.length, l.ingressRules.length, l.egressRules.length])).toEqual([[1, 3, 2], [1, 3, 2], [1, 6, 3], [1, 3, 2]]);
      expect(nlb.networkListeners.flatMap((l) => l.node.children)).toEqual([]);
    });

    test("a direct client written another way than its canonical text gets the canonical key, and a moved block from the key of its text", () => {
      // GIVEN one load balancer with an IPv6 client in capitals, one with the same block written canonically
      const upper = JSON.parse(synthNlb({ allowDirectFrom: { ipv6Cidrs: ["2001:DB8:0:100::/56"] } }));
      const canonical = JSON.parse(synthNlb({ allowDirectFrom: { ipv6Cidrs: ["2001:db8:0:100::/56"] } }));

      // THEN both rules have the same address, the canonical text's (as before 0.2 for canonical text)
      const [address] = Object.keys(upper.resource.aws_vpc_security_group_ingress_rule);
      expect(address).toMatch(/^Nlb_Ingress-0-tcp-2001_db8_0_100___56_[0-9A-F]{8}$/);
      expect(Object.keys(canonical.resource.aws_vpc_security_group_ingress_rule)).toEqual([address]);
      // AND the state under the address the capitals had is carried over; the canonical text needs no move
      const ingressMoves = (json: Json) => (json.moved as Json[]).filter((m) => m.to.startsWith("aws_vpc_security_group_ingress_rule."));
      expect(ingressMoves(upper)).toEqual([{ from: earlier("aws_vpc_security_group_ingress_rule", "Ingress-0-tcp-2001_DB8_0_100___56"), to: `aws_vpc_security_group_ingress_rule.${address}` }]);
      expect(ingressMoves(canonical)).toEqual([]);
      // AND the rule names the block as written
      expect(upper.resource.aws_vpc_security_group_ingress_rule[address]).toMatchObject({ cidr_ipv6: "2001:DB8:0:100::/56", description: "TCP 80 from direct client 2001:DB8:0:100::/56" });
    });

    test("a listener id keeps a listener's address when the listeners before it are removed", () => {
      // GIVEN listeners named api and admin, then admin alone
      const both = synthNlb({ listeners: [{ id: "api", port: 80 }, { id: "admin", port: 8443 }] });
      const adminOnly = synthNlb({ listeners: [{ id: "admin", port: 8443 }] });

      // THEN admin's listener and target group have the same address in both
      const adminListener = (synth: string) => Object.entries<Json>(JSON.parse(synth).resource.aws_lb_listener).find(([, l]) => l.port === 8443)![0];
      expect(adminListener(adminOnly)).toBe(adminListener(both));
      expect(adminListener(both)).toMatch(/Listener-admin/);
    });

    test("target attachments are keyed by target, so removing one target never re-registers another", () => {
      // GIVEN two targets, then only the second
      const two = synthNlb({ target: { ids: ["i-0123456789abcdef0", "i-0123456789abcdef1"] } });
      const second = synthNlb({ target: { ids: ["i-0123456789abcdef1"] } });

      // THEN the second target's attachment keeps its address
      const keyOf = (synth: string, id: string) => Object.entries<Json>(JSON.parse(synth).resource.aws_lb_target_group_attachment).find(([, a]) => a.target_id === id)![0];
      expect(keyOf(second, "i-0123456789abcdef1")).toBe(keyOf(two, "i-0123456789abcdef1"));
    });
  });

  describe("validation", () => {
    test.each(["-pl", "pl-", "pl_demo", "internal-pl", "a".repeat(33), ""])("rejects the name %j", (name) => {
      // GIVEN an invalid name
      // WHEN constructed
      // THEN the name is reported
      expect(build({ name })).toThrow(/- name: received/);
    });

    test.each(["", "has space", "a.b", "x".repeat(33)])("rejects the listener id %j", (id) => {
      expect(build({ listeners: [{ port: 80, id }] })).toThrow(/- listeners\[0\]\.id: received .*; expected 1 to 32 letters, digits, '-' and '_'/);
    });

    test("rejects two listeners with one id, also when an id equals another listener's position", () => {
      expect(build({ listeners: [{ port: 80, id: "api" }, { port: 81, id: "api" }] })).toThrow(/- listeners: received "api"; expected each listener id once/);
      expect(build({ listeners: [{ port: 80 }, { port: 81, id: "0" }] })).toThrow(/- listeners: received "0"; expected each listener id once/);
    });

    test("rejects a target listed twice", () => {
      expect(build({ target: { ids: ["i-0123456789abcdef0", "i-0123456789abcdef0"] } })).toThrow(/- target\.ids: received "i-0123456789abcdef0"; expected each target once/);
    });

    test("rejects an empty vpcId", () => {
      expect(build({ vpcId: "" })).toThrow(/- vpcId: received ""/);
    });

    test.each(["vpc-123", "vpc-0123456789ABCDEF0", "0123456789abcdef0", "subnet-0123456789abcdef0"])("rejects the vpcId %j, as the other constructs do", (vpcId) => {
      expect(build({ vpcId })).toThrow(new RegExp(`- vpcId: received "${vpcId}"; expected an id of the form vpc-0123456789abcdef0`));
    });

    test("rejects a subnet id that is not one", () => {
      expect(build({ subnetIds: [SUBNETS[0], "subnet-12"] })).toThrow(/- subnetIds\[1\]: received "subnet-12"; expected an id of the form subnet-0123456789abcdef0/);
    });

    test.each(["i-123", "10.0.1.10", "i-0123456789ABCDEF0"])("rejects the instance target id %j", (id) => {
      expect(build({ target: { ids: [id] } })).toThrow(/- target\.ids\[0\]: received .*; expected an instance id \(an id of the form i-0123456789abcdef0\) for target type "instance"/);
    });

    test.each(["2001:db8::10", "10.0.1", "10.0.1.0/24", "i-0123456789abcdef0"])("rejects the IPv4 target address %j", (id) => {
      expect(build({ target: { type: TargetType.IP, ids: [id] } })).toThrow(/- target\.ids\[0\]: received .*; expected an IPv4 address for target type "ip" with ipAddressType "ipv4"/);
    });

    test("judges a listener's target ids by the settings that apply to it, the load balancer's included", () => {
      // GIVEN ip targets set on the load balancer, IPv6 ones on one listener, and an IPv4 address there
      const extra = { target: { type: TargetType.IP }, listeners: [{ port: 80, target: { ipAddressType: TargetIpAddressType.IPV6, ids: ["10.0.1.10"] } }] };
      // WHEN constructed
      // THEN the address is reported as not IPv6
      expect(build(extra)).toThrow(/- listeners\[0\]\.target\.ids\[0\]: received "10\.0\.1\.10"; expected an IPv6 address for target type "ip" with ipAddressType "ipv6"/);
    });

    test("rejects an access log bucket that is no S3 bucket name", () => {
      expect(build({ accessLogs: { bucket: "My_Logs" } })).toThrow(/- accessLogs\.bucket: received "My_Logs"; expected an S3 bucket name/);
    });

    test("rejects VPC CIDRs of the wrong form or family", () => {
      expect(build({ vpcCidrs: { ipv4: "10.0.0.0" } })).toThrow(/- vpcCidrs\.ipv4: received "10\.0\.0\.0"; expected an IPv4 CIDR block/);
      expect(build({ vpcCidrs: { ipv4: "10.0.0.0/16", ipv6: "10.1.0.0/16" } })).toThrow(/- vpcCidrs\.ipv6: received "10\.1\.0\.0\/16"; expected an IPv6 CIDR block/);
    });

    test("rejects an empty subnet list", () => {
      expect(build({ subnetIds: [] })).toThrow(/- subnetIds: received \[\]; expected at least one subnet id/);
    });

    test("rejects a subnet given twice", () => {
      expect(build({ subnetIds: [SUBNETS[0], SUBNETS[0]] })).toThrow(/- subnetIds: received "subnet-0123456789abcdef0"; expected each subnet once/);
    });

    test("rejects an unknown ipAddressType", () => {
      expect(build({ ipAddressType: bad<LoadBalancerIpAddressType>("ipv6") })).toThrow(/- ipAddressType: received "ipv6"/);
    });

    test("rejects an empty listener list", () => {
      expect(build({ listeners: [] })).toThrow(/- listeners: received \[\]; expected at least one listener/);
    });

    test.each([0, 65536, 80.5])("rejects the listener port %j", (port) => {
      expect(build({ listeners: [{ port: 80 }, { port }] })).toThrow(/- listeners\[1\]\.port: received/);
    });

    test("rejects an unknown listener protocol", () => {
      expect(build({ listeners: [{ port: 80, protocol: bad<ListenerProtocol>("HTTP") }] })).toThrow(/- listeners\[0\]\.protocol: received "HTTP"/);
    });

    test.each([
      ["no certificate", undefined],
      ["an IAM server certificate", "arn:aws:iam::111111111111:server-certificate/demo"],
      ["not an ARN", "my-cert"],
      ["an ACM ARN of no certificate", "arn:aws:acm:us-west-2:111111111111:key/0b2c3d4e"],
      ["an ACM ARN without its account", "arn:aws:acm:us-west-2::certificate/0b2c3d4e"],
      ["an ACM ARN of something else than a certificate", "arn:aws:acm-pca:us-west-2:111111111111:certificate-authority/0b2c3d4e"],
      ["an ACM ARN with no region", "arn:aws:acm::111111111111:certificate/0b2c3d4e"],
    ])("rejects a TLS listener with %s", (_label, certificateArn) => {
      const listeners = [{ port: 80 }, { port: 443, protocol: ListenerProtocol.TLS, certificateArn }];
      expect(build({ listeners })).toThrow(/- listeners\[1\]\.certificateArn: received .*; expected an ACM certificate ARN \(arn:aws:acm:<region>:<account>:certificate\/<id>\) for a TLS listener$/m);
    });

    test("rejects an ACM ARN whose partition is not its region's", () => {
      const listeners = [{ port: 443, protocol: ListenerProtocol.TLS, certificateArn: "arn:aws:acm:cn-north-1:111111111111:certificate/0b2c3d4e" }];
      expect(build({ listeners })).toThrow('listeners[0].certificateArn: received "arn:aws:acm:cn-north-1:111111111111:certificate/0b2c3d4e"; expected an ARN of partition aws-cn, the partition of cn-north-1 (arn:aws-cn:acm:...)');
    });

    test("rejects a certificate on a non-TLS listener", () => {
      expect(build({ listeners: [{ port: 80, certificateArn: CERT }] })).toThrow(/- listeners\[0\]\.certificateArn: received "arn:aws:acm/);
    });

    test("rejects an SSL policy on a non-TLS listener", () => {
      expect(build({ listeners: [{ port: 80, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }] })).toThrow(/- listeners\[0\]\.sslPolicy: received/);
    });

    test("rejects an ALPN policy on a non-TLS listener", () => {
      expect(build({ listeners: [{ port: 53, protocol: ListenerProtocol.UDP, alpnPolicy: "HTTP2Preferred" }] })).toThrow(/- listeners\[0\]\.alpnPolicy: received/);
    });

    test("rejects a port used by two listeners", () => {
      expect(build({ listeners: [{ port: 80 }, { port: 80, protocol: ListenerProtocol.UDP }] })).toThrow(/- listeners: received 80; expected each port once/);
    });

    test("rejects default proxy protocol v2 inherited by a UDP listener", () => {
      // GIVEN proxy protocol v2 on the default target and a UDP listener that does not override it
      const extra = { target: { proxyProtocolV2: true }, listeners: [{ port: 80 }, { port: 53, protocol: ListenerProtocol.UDP }] };

      // WHEN constructed
      // THEN the default target's setting is reported, naming the listener to fix
      expect(build(extra)).toThrow(/- target\.proxyProtocolV2: received true; expected false: proxy protocol v2 needs TCP or TLS, and listeners\[1\] is UDP \(or turn it off for that listener alone in listeners\[1\]\.target\)/);
    });

    test("accepts default proxy protocol v2 when the UDP listener turns it off", () => {
      // GIVEN proxy protocol v2 on the default target and a UDP listener that sets it to false
      const extra = { target: { proxyProtocolV2: true }, listeners: [{ port: 80 }, { port: 53, protocol: ListenerProtocol.UDP, target: { proxyProtocolV2: false } }] };

      // WHEN constructed
      // THEN nothing is reported
      expect(build(extra)).not.toThrow();
    });

    test("rejects enforceSecurityGroupInboundRulesOnPrivateLinkTraffic without security groups", () => {
      expect(build({ withoutSecurityGroup: true, enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: true })).toThrow(/- enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: received true/);
    });

    test("rejects your own groups together with withoutSecurityGroup, an empty list, and ids of the wrong form", () => {
      expect(build({ withoutSecurityGroup: true, securityGroupIds: ["sg-0123456789abcdef0"] })).toThrow(/- withoutSecurityGroup: received true; expected false \(or no securityGroupIds\)/);
      expect(build({ securityGroupIds: [] })).toThrow(/- securityGroupIds: received \[\]; expected at least one security group id, or leave it out/);
      expect(build({ securityGroupIds: ["default"] })).toThrow(/- securityGroupIds\[0\]: received "default"; expected an id of the form sg-/);
    });

    test("rejects direct clients without the load balancer's own group, and open or malformed sources", () => {
      expect(build({ securityGroupIds: ["sg-0123456789abcdef0"], allowDirectFrom: { ipv4Cidrs: ["10.9.0.0/16"] } })).toThrow(/- allowDirectFrom: received .*; expected no direct clients with securityGroupIds or withoutSecurityGroup/);
      expect(build({ allowDirectFrom: { ipv4Cidrs: ["0.0.0.0/0"] } })).toThrow(/- allowDirectFrom\.ipv4Cidrs\[0\]: received "0\.0\.0\.0\/0"; expected a narrower CIDR than the whole internet/);
      expect(build({ allowDirectFrom: { ipv6Cidrs: ["10.9.0.0/16"] } })).toThrow(/- allowDirectFrom\.ipv6Cidrs\[0\]: received "10\.9\.0\.0\/16"; expected an IPv6 CIDR block/);
      expect(build({ allowDirectFrom: { securityGroupIds: ["sg-1"] } })).toThrow(/- allowDirectFrom\.securityGroupIds\[0\]: received "sg-1"/);
    });

    test("rejects one direct client written two ways: both would be the same rule", () => {
      expect(build({ allowDirectFrom: { ipv6Cidrs: ["2001:db8::/56", "2001:DB8::/56"] } })).toThrow(
        "- allowDirectFrom.ipv6Cidrs: received \"2001:DB8::/56\"; expected each client once: 2001:DB8::/56 is 2001:db8::/56, written another way",
      );
    });

    test("rejects access logs without a bucket", () => {
      expect(build({ accessLogs: { bucket: "" } })).toThrow(/- accessLogs\.bucket: received ""/);
    });

    describe.each([
      ["target", (t: NlbTargetProps) => ({ target: t })],
      ["listeners[0].target", (t: NlbTargetProps) => ({ listeners: [{ port: 80, target: t }] })],
    ])("target settings at %s", (path, place) => {
      const at = (suffix: string) => new RegExp(`- ${path.replace(/[.[\]]/g, "\\$&")}\\.${suffix.replace(/[.[\]]/g, "\\$&")}: received`);
      const check = (t: NlbTargetProps, suffix: string) => expect(build(place(t))).toThrow(at(suffix));

      test("rejects an unknown target type", () => check({ type: bad<TargetType>("lambda") }, "type"));
      test("rejects an invalid target port", () => check({ port: 0 }, "port"));
      test("rejects an unknown target ipAddressType", () => check({ ipAddressType: bad<TargetIpAddressType>("dualstack") }, "ipAddressType"));
      test("rejects IPv6 instance targets", () => check({ ipAddressType: TargetIpAddressType.IPV6 }, "type"));
      test("rejects IPv6 targets behind an IPv4 load balancer", () => {
        const t = { type: TargetType.IP, ipAddressType: TargetIpAddressType.IPV6 };
        expect(build({ ...place(t), ipAddressType: LoadBalancerIpAddressType.IPV4 })).toThrow(at("ipAddressType"));
      });
      test.each([-1, 3601, 1.5])("rejects the deregistration delay %j", (d) => check({ deregistrationDelaySeconds: d }, "deregistrationDelaySeconds"));
      test("rejects an empty target id", () => check({ ids: ["i-0123456789abcdef0", ""] }, "ids[1]"));
      test("rejects an unknown health check protocol", () => check({ healthCheck: { protocol: bad<HealthCheckProtocol>("UDP") } }, "healthCheck.protocol"));
      test("rejects an invalid health check port", () => check({ healthCheck: { port: 70000 } }, "healthCheck.port"));
      test("rejects a path on a TCP health check", () => {
        expect(build(place({ healthCheck: { path: "/health" } }))).toThrow(/no path for a TCP health check/);
        check({ healthCheck: { protocol: HealthCheckProtocol.TCP, path: "/health" } }, "healthCheck.path");
      });
      test("rejects a health check path not starting with /", () => {
        expect(build(place({ healthCheck: { protocol: HealthCheckProtocol.HTTP, path: "health" } }))).toThrow(/healthCheck\.path: received "health"; expected a path starting with "\/"/);
      });
      test.each([4, 301])("rejects the health check interval %j", (s) => check({ healthCheck: { intervalSeconds: s } }, "healthCheck.intervalSeconds"));
      test.each([1, 11])("rejects the healthy threshold %j", (n) => check({ healthCheck: { healthyThreshold: n } }, "healthCheck.healthyThreshold"));
      test.each([1, 11])("rejects the unhealthy threshold %j", (n) => check({ healthCheck: { unhealthyThreshold: n } }, "healthCheck.unhealthyThreshold"));
    });

    test("rejects proxy protocol v2 set on a UDP listener's own target", () => {
      const listeners = [{ port: 53, protocol: ListenerProtocol.UDP, target: { proxyProtocolV2: true } }];
      expect(build({ listeners })).toThrow(/- listeners\[0\]\.target\.proxyProtocolV2: received true; expected false for a UDP listener/);
    });

    test("reports every problem at once", () => {
      // GIVEN props with four independent problems
      const extra: Partial<DualStackNlbProps> = {
        name: "-bad",
        subnetIds: [],
        listeners: [{ port: 0 }, { port: 443, protocol: ListenerProtocol.TLS }],
      };

      // WHEN constructed
      let error: unknown;
      try {
        synthNlb(extra);
      } catch (e) {
        error = e;
      }

      // THEN one PropsError lists them all
      expect(error).toBeInstanceOf(PropsError);
      const problems = (error as PropsError).problems.map((p) => p.path);
      expect(problems).toEqual(["name", "subnetIds", "listeners[0].port", "listeners[1].certificateArn"]);
      expect((error as PropsError).message).toMatch(/^Invalid props for DualStackNlb at stack\/[\w-]+:\n {2}- name: .*\n {2}- subnetIds: .*\n {2}- listeners\[0\]\.port: .*\n {2}- listeners\[1\]\.certificateArn: /);
    });

    test("does not judge unresolved tokens", () => {
      // GIVEN tokens wherever a literal would be checked
      // WHEN synthesized
      const synth = Testing.synthScope((scope) => {
        const vpc = new Vpc(scope, "Vpc", { cidrBlock: "10.0.0.0/16" });
        const subnets = new DataAwsSubnets(scope, "Subnets", {});
        const port = new TerraformVariable(scope, "port", { type: "number" });
        const cert = new TerraformVariable(scope, "cert", { type: "string" });
        const sgs = new TerraformVariable(scope, "sgs", { type: "list(string)" });
        new DualStackNlb(scope, "Nlb", {
          vpcId: vpc.id,
          subnetIds: subnets.ids,
          listeners: [
            { port: port.numberValue, protocol: ListenerProtocol.TLS, certificateArn: cert.stringValue },
            { port: 80, target: { port: Token.asNumber(port.value), ids: [Token.asString(vpc.id)] } },
          ],
          target: {
            deregistrationDelaySeconds: port.numberValue,
            healthCheck: { protocol: HealthCheckProtocol.HTTP, path: cert.stringValue, intervalSeconds: port.numberValue },
          },
          securityGroupIds: sgs.listValue,
          enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: true,
          accessLogs: { bucket: Token.asString(cert.value) },
        });
      });

      // THEN nothing is reported and the tokens reach the resources
      expect(synth).toHaveResourceWithProperties(Lb, { subnets: "${data.aws_subnets.Subnets.ids}", security_groups: "${var.sgs}" });
      expect(synth).toHaveResourceWithProperties(LbListener, { port: "${var.port}", certificate_arn: "${var.cert}" });
      expect(synth).toHaveResourceWithProperties(LbTargetGroupAttachment, { target_id: "${aws_vpc.Vpc.id}", port: "${var.port}" });
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { vpc_id: "${aws_vpc.Vpc.id}", deregistration_delay: "${var.port}" });
    });
  });
});

describe("DualStackNlb regressions", () => {
  test("IPv6 targets are judged on the merged settings: ip type from the default target is enough", () => {
    // GIVEN target type ip by default and IPv6 on one listener
    const extra = { target: { type: TargetType.IP }, listeners: [{ port: 80, target: { ipAddressType: TargetIpAddressType.IPV6 } }] };
    // THEN it builds
    expect(build(extra)).not.toThrow();
  });

  test("IPv6 targets are judged on the merged settings: an instance override is refused at the listener", () => {
    const extra = { target: { type: TargetType.IP, ipAddressType: TargetIpAddressType.IPV6 }, listeners: [{ port: 80, target: { type: TargetType.INSTANCE } }] };
    expect(build(extra)).toThrow(/listeners\[0\]\.target\.type: received "instance"/);
  });

  test("a whole-list token for target ids is refused with a clear message", () => {
    expect(build({ target: { ids: Token.asList("${var.ids}") } })).toThrow(/target\.ids: received "a list token"/);
  });

  test("a token name or port leaves target group names to Terraform", () => {
    const out = synthNlb({ name: Lazy.stringValue({ produce: () => "pl-demo" }), listeners: [{ port: Lazy.numberValue({ produce: () => 80 }) }] });
    for (const tg of resourcesOf(out, "aws_lb_target_group")) expect(tg.name).toBeUndefined();
  });
});

describe("listeners as a Terraform value", () => {
  function synthWithListenerVariable(extra: Partial<DualStackNlbProps> = {}): any {
    return JSON.parse(
      Testing.synthScope((scope) => {
        const listeners = new TerraformVariable(scope, "listeners", { type: "any" });
        const nlb = new DualStackNlb(scope, "Nlb", props({ listeners: listeners.value, name: "orders", ...extra }));
        new TerraformOutput(scope, "ports", { value: nlb.listenerPorts });
        new TerraformOutput(scope, "arns", { value: nlb.targetGroupArns });
      }),
    );
  }

  test("each listener resource is one resource with for_each over the listeners keyed by id", () => {
    // GIVEN listeners only Terraform knows (a module variable)
    const out = synthWithListenerVariable({ target: { port: 8080, healthCheck: { intervalSeconds: 10 } } });
    // THEN a local keys them by id (or key, or position), and the listener, target group, attachments and egress iterate over it
    const locals: Record<string, string> = out.locals;
    const [listenersLocal] = Object.entries(locals).find(([, v]) => v.includes("var.listeners"))!;
    expect(locals[listenersLocal]).toBe("${{ for k, e in var.listeners : (try(e.id, null) != null ? tostring(e.id) : tostring(k)) => e }}");
    const listener = resourcesOf(JSON.stringify(out), "aws_lb_listener");
    const group = resourcesOf(JSON.stringify(out), "aws_lb_target_group");
    expect(listener).toHaveLength(1);
    expect(group).toHaveLength(1);
    expect(listener[0]).toMatchObject({ for_each: `\${local.${listenersLocal}}`, port: "${each.value.port}" });
    expect(listener[0].default_action[0].target_group_arn).toMatch(/^\$\{aws_lb_target_group\.[^[]+\[each\.key\]\.arn\}$/);
    // AND the load balancer's written target settings are the defaults
    expect(group[0]).toMatchObject({ for_each: `\${local.${listenersLocal}}`, port: "${coalesce(try(each.value.target.port, null), 8080)}" });
    expect(group[0].health_check.interval).toBe("${coalesce(try(each.value.target.health_check.interval_seconds, null), 10)}");
    expect(group[0].tags).toContain('Name = format("%s-%s", "orders", each.key)');
    expect(resourcesOf(JSON.stringify(out), "aws_lb_target_group_attachment")[0].for_each).toMatch(/^\$\{local\.\w+\}$/);
    expect(resourcesOf(JSON.stringify(out), "aws_vpc_security_group_egress_rule")[0].for_each).toMatch(/^\$\{local\.\w+\}$/);
    // AND the ports and target group ARNs come out as Terraform collections keyed the same way
    expect(out.output.ports.value).toMatch(/^\$\{\[for k, l in aws_lb_listener\.[^ ]+ : \{ id = k, port = l\.port, protocol = l\.protocol \}\]\}$/);
    expect(out.output.arns.value).toMatch(/^\$\{\[for k, g in aws_lb_target_group\.[^ ]+ : g\.arn\]\}$/);
  });

  test("direct clients need listeners written out", () => {
    expect(() => synthWithListenerVariable({ allowDirectFrom: { ipv4Cidrs: ["10.9.0.0/16"] } })).toThrow(/allowDirectFrom: received .*; expected no direct clients when listeners is a Terraform value/);
  });
});
