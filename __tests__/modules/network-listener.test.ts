import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HealthCheckProtocol, ListenerProtocol, NetworkListener, NetworkListenerProps, PropsError, TargetIpAddressType, TargetType } from "../../modules";

const LB_ARN = "arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/net/pl-demo/0123456789abcdef";
const VPC = "vpc-0123456789abcdef0";
const SG = "sg-0123456789abcdef0";
const CERT = "arn:aws:acm:us-west-2:111111111111:certificate/0b2c3d4e-aaaa-bbbb-cccc-111122223333";

/** Minimal valid props, TCP on 443; `extra` overrides any of them. */
function props(extra: Partial<NetworkListenerProps> = {}): NetworkListenerProps {
  return { loadBalancerArn: LB_ARN, vpcId: VPC, port: 443, ...extra };
}

function synthListener(extra: Partial<NetworkListenerProps> = {}): string {
  return Testing.synthScope((scope) => {
    new NetworkListener(scope, "Api", props(extra));
  });
}

type Json = Record<string, any>;
const resourcesOf = (synth: string, type: string): Json[] => Object.values((JSON.parse(synth).resource?.[type] ?? {}) as Json);
const addresses = (synth: string): string[] => Object.entries<Json>(JSON.parse(synth).resource).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`)).sort();

describe("NetworkListener", () => {
  describe("alone", () => {
    test("listens on the load balancer and forwards to a target group of its own in the VPC", () => {
      // GIVEN a load balancer's ARN, its VPC and a port
      // WHEN synthesized
      const synth = synthListener();

      // THEN one listener, on that load balancer, forwards TCP to one target group on the same port
      const [group] = Object.keys(JSON.parse(synth).resource.aws_lb_target_group);
      expect(synth).toHaveResourceWithProperties(LbListener, { load_balancer_arn: LB_ARN, port: 443, protocol: "TCP", default_action: [{ type: "forward", target_group_arn: `\${aws_lb_target_group.${group}.arn}` }] });
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { vpc_id: VPC, port: 443, protocol: "TCP", target_type: "instance", ip_address_type: "ipv4", lifecycle: { create_before_destroy: true } });
      // AND nothing else: no targets, no security group rules
      expect(addresses(synth)).toHaveLength(2);
    });

    test("terminates TLS with its certificate and the default policy, and sends TCP to the targets", () => {
      const synth = synthListener({ protocol: ListenerProtocol.TLS, certificateArn: CERT, alpnPolicy: "HTTP2Preferred" });
      expect(synth).toHaveResourceWithProperties(LbListener, { protocol: "TLS", certificate_arn: CERT, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", alpn_policy: "HTTP2Preferred" });
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { protocol: "TCP" });
    });

    test("registers each target on the target port, with the target group's settings", () => {
      // GIVEN two ip targets on 8443, HTTPS health checks on 9443 and a 30 s delay
      const synth = synthListener({
        target: { type: TargetType.IP, port: 8443, ids: ["10.0.1.10", "10.0.1.11"], healthCheck: { protocol: HealthCheckProtocol.HTTPS, port: 9443 }, deregistrationDelaySeconds: 30 },
      });
      // THEN the group has the settings and each target is attached on 8443
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, {
        port: 8443,
        target_type: "ip",
        deregistration_delay: "30",
        health_check: { enabled: true, protocol: "HTTPS", port: "9443", path: "/", matcher: "200-399" },
      });
      expect(resourcesOf(synth, "aws_lb_target_group_attachment").map((a) => [a.target_id, a.port])).toEqual([
        ["10.0.1.10", 8443],
        ["10.0.1.11", 8443],
      ]);
    });

    test("tags its resources, and its target group with its name", () => {
      const synth = synthListener({ name: "pl-demo-api", tags: { team: "platform" }, securityGroupId: SG, vpcCidrs: { ipv4: "10.0.0.0/16" } });
      expect(synth).toHaveResourceWithProperties(LbTargetGroup, { tags: { team: "platform", Name: "pl-demo-api" } });
      expect(synth).toHaveResourceWithProperties(LbListener, { tags: { team: "platform" } });
      expect(synth).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { tags: { team: "platform" } });
      expect(resourcesOf(synthListener(), "aws_lb_target_group")[0]).not.toHaveProperty("tags");
    });

    test("admits its direct clients on its port per IP protocol, and lets traffic out to the VPC on the target and health check ports", () => {
      // GIVEN a TCP_UDP listener with the load balancer's group, one client of each kind, targets on 5353 checked on 8080
      const synth = synthListener({
        port: 53,
        protocol: ListenerProtocol.TCP_UDP,
        securityGroupId: SG,
        allowDirectFrom: { securityGroupIds: ["sg-0123456789abcdef1"], ipv4Cidrs: ["10.9.0.0/16"], ipv6Cidrs: ["2001:db8::/56"] },
        target: { port: 5353, healthCheck: { port: 8080 } },
        vpcCidrs: { ipv4: "10.0.0.0/16" },
      });
      // THEN 3 clients x 2 IP protocols ingress rules on 53, in the load balancer's group
      const ingress = resourcesOf(synth, "aws_vpc_security_group_ingress_rule");
      expect(ingress).toHaveLength(6);
      expect(ingress.every((r) => r.security_group_id === SG && r.from_port === 53 && r.to_port === 53)).toBe(true);
      expect(synth).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { ip_protocol: "udp", cidr_ipv6: "2001:db8::/56", description: "UDP 53 from direct client 2001:db8::/56" });
      expect(synth).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { ip_protocol: "tcp", referenced_security_group_id: "sg-0123456789abcdef1" });
      // AND egress to the VPC's IPv4 block: the target port per IP protocol, the health check port over TCP
      expect(resourcesOf(synth, "aws_vpc_security_group_egress_rule").map((r) => [r.ip_protocol, r.from_port, r.cidr_ipv4, r.description]).sort()).toEqual([
        ["tcp", 5353, "10.0.0.0/16", "TCP 5353 to targets in the VPC"],
        ["tcp", 8080, "10.0.0.0/16", "TCP 8080 to target health checks in the VPC"],
        ["udp", 5353, "10.0.0.0/16", "UDP 5353 to targets in the VPC"],
      ]);
    });

    test("without vpcCidrs reads the VPC's blocks from an aws_vpc data source of its own", () => {
      const synth = synthListener({ securityGroupId: SG, target: { type: TargetType.IP, ipAddressType: TargetIpAddressType.IPV6 } });
      const [[key, vpc]] = Object.entries<Json>(JSON.parse(synth).data.aws_vpc);
      expect(vpc).toMatchObject({ id: VPC });
      expect(key).toMatch(/^Api_Vpc_/);
      expect(resourcesOf(synth, "aws_vpc_security_group_egress_rule")).toEqual([expect.objectContaining({ cidr_ipv6: `\${data.aws_vpc.${key}.ipv6_cidr_block}` })]);
    });

    test("no security group rules without securityGroupId", () => {
      const synth = synthListener({ target: { healthCheck: { port: 8080 } } });
      expect(synth).not.toHaveResource(VpcSecurityGroupIngressRule);
      expect(synth).not.toHaveResource(VpcSecurityGroupEgressRule);
      expect(JSON.parse(synth).data).toBeUndefined();
    });

    test("puts its resources under its own path, named for what they are, with no moved blocks", () => {
      // GIVEN a listener with a target, a direct client, a health check port and the load balancer's group
      let listener!: NetworkListener;
      const synth = Testing.synthScope((scope) => {
        listener = new NetworkListener(scope, "Api", props({ securityGroupId: SG, allowDirectFrom: { ipv4Cidrs: ["10.9.0.0/16"] }, target: { ids: ["i-0123456789abcdef0"], healthCheck: { port: 8080 } }, vpcCidrs: { ipv4: "10.0.0.0/16" } }));
      });
      // THEN the ids are TargetGroup, Listener, Target-<target>, Ingress-<protocol>-<client>, Egress[-health]-<protocol>, under the listener
      expect(listener.node.children.map((c) => c.node.id)).toEqual(["TargetGroup", "Listener", "Target-i-0123456789abcdef0", "Ingress-tcp-10_9_0_0_16", "Egress-tcp", "Egress-health-tcp"]);
      expect(addresses(synth).map((a) => a.replace(/_[0-9A-F]{8}$/, ""))).toEqual([
        "aws_lb_listener.Api_Listener",
        "aws_lb_target_group.Api_TargetGroup",
        "aws_lb_target_group_attachment.Api_Target-i-0123456789abcdef0",
        "aws_vpc_security_group_egress_rule.Api_Egress-health-tcp",
        "aws_vpc_security_group_egress_rule.Api_Egress-tcp",
        "aws_vpc_security_group_ingress_rule.Api_Ingress-tcp-10_9_0_0_16",
      ]);
      expect(JSON.parse(synth).moved).toBeUndefined();
    });

    test("adds a listener to a load balancer made elsewhere, and exposes what it made", () => {
      // GIVEN a plain aws_lb and a listener on it
      let listener!: NetworkListener;
      const synth = Testing.synthScope((scope) => {
        const lb = new Lb(scope, "Lb", { loadBalancerType: "network", internal: true, subnets: ["subnet-0123456789abcdef0"] });
        listener = new NetworkListener(scope, "Api", props({ loadBalancerArn: lb.arn, protocol: ListenerProtocol.UDP, target: { ids: ["i-0123456789abcdef0"] } }));
      });
      // THEN the listener refers to it, and the construct exposes its parts
      expect(synth).toHaveResourceWithProperties(LbListener, { load_balancer_arn: "${aws_lb.Lb.arn}", protocol: "UDP" });
      expect(listener.protocol).toBe(ListenerProtocol.UDP);
      expect(listener.port).toBe(443);
      expect(listener.listener).toBeInstanceOf(LbListener);
      expect(listener.targetGroup).toBeInstanceOf(LbTargetGroup);
      expect(listener.attachments.map((a) => a instanceof LbTargetGroupAttachment)).toEqual([true]);
      expect([listener.ingressRules, listener.egressRules]).toEqual([[], []]);
    });

    test("does not judge unresolved tokens", () => {
      const synth = Testing.synthScope((scope) => {
        const v = (name: string, type = "string") => new TerraformVariable(scope, name, { type });
        new NetworkListener(scope, "Api", {
          loadBalancerArn: v("lb").stringValue,
          vpcId: v("vpc").stringValue,
          port: v("port", "number").numberValue,
          protocol: ListenerProtocol.TLS,
          certificateArn: v("cert").stringValue,
          securityGroupId: v("sg").stringValue,
          allowDirectFrom: { ipv4Cidrs: [v("client").stringValue] },
          vpcCidrs: { ipv4: v("cidr").stringValue },
        });
      });
      expect(synth).toHaveResourceWithProperties(LbListener, { load_balancer_arn: "${var.lb}", port: "${var.port}", certificate_arn: "${var.cert}" });
      expect(synth).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { security_group_id: "${var.sg}", cidr_ipv4: "${var.client}", description: "TCP ${var.port} from direct client" });
    });
  });

  describe("validation", () => {
    /** The PropsError thrown for the props, built at stack "provider", id "Api". */
    const errorOf = (extra: Partial<NetworkListenerProps>): PropsError => {
      const stack = new TerraformStack(Testing.app(), "provider");
      try {
        new NetworkListener(stack, "Api", props(extra));
      } catch (e) {
        return e as PropsError;
      }
      throw new Error("no error");
    };

    test("an error names the construct's path, and every problem's prop, value and what is valid", () => {
      // GIVEN an application load balancer's ARN and port 0
      const error = errorOf({ loadBalancerArn: "arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/web/0123456789abcdef", port: 0 });
      // THEN one PropsError lists both, at provider/Api
      expect(error).toBeInstanceOf(PropsError);
      expect(error).toMatchObject({ construct: "NetworkListener", constructPath: "provider/Api" });
      expect(error.message).toBe(
        "Invalid props for NetworkListener at provider/Api:\n" +
          '  - loadBalancerArn: received "arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/web/0123456789abcdef"; expected a Network Load Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<id>)\n' +
          "  - port: received 0; expected an integer from 1 to 65535",
      );
    });

    test.each<[string, Partial<NetworkListenerProps>, RegExp]>([
      ["a VPC id of another kind", { vpcId: "subnet-0123456789abcdef0" }, /- vpcId: received "subnet-0123456789abcdef0"; expected an id of the form vpc-0123456789abcdef0/],
      ["a TLS listener without certificate", { protocol: ListenerProtocol.TLS }, /- certificateArn: received nothing; expected an ACM certificate ARN .* for a TLS listener/],
      ["an SSL policy on a TCP listener", { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }, /- sslPolicy: received "ELBSecurityPolicy-TLS13-1-2-2021-06"; expected no SSL policy: only TLS listeners take one/],
      ["an unknown protocol", { protocol: "HTTP" as ListenerProtocol }, /- protocol: received "HTTP"; expected one of TCP, TLS, UDP, TCP_UDP/],
      ["an IP address as an instance target", { target: { ids: ["10.0.1.10"] } }, /- target\.ids\[0\]: received "10\.0\.1\.10"; expected an instance id .* for target type "instance"/],
      ["IPv6 instance targets", { target: { ipAddressType: TargetIpAddressType.IPV6 } }, /- target\.type: received "instance"; expected "ip": IPv6 targets are registered by IP address/],
      ["proxy protocol v2 on UDP", { protocol: ListenerProtocol.UDP, target: { proxyProtocolV2: true } }, /- target\.proxyProtocolV2: received true; expected false for a UDP listener/],
      ["a security group id of another kind", { securityGroupId: "default" }, /- securityGroupId: received "default"; expected an id of the form sg-0123456789abcdef0/],
      ["direct clients without securityGroupId", { allowDirectFrom: { ipv4Cidrs: ["10.9.0.0/16"] } }, /- allowDirectFrom: received .*; expected no direct clients without securityGroupId/],
      ["the whole internet as a direct client", { securityGroupId: SG, allowDirectFrom: { ipv4Cidrs: ["0.0.0.0/0"] } }, /- allowDirectFrom\.ipv4Cidrs\[0\]: received "0\.0\.0\.0\/0"; expected a narrower CIDR than the whole internet: the load balancer is internal/],
      ["a direct client twice", { securityGroupId: SG, allowDirectFrom: { securityGroupIds: ["sg-0123456789abcdef1", "sg-0123456789abcdef1"] } }, /- allowDirectFrom\.securityGroupIds: received "sg-0123456789abcdef1"; expected each client once/],
      ["VPC CIDRs without securityGroupId", { vpcCidrs: { ipv4: "10.0.0.0/16" } }, /- vpcCidrs: received .*; expected no VPC CIDRs without securityGroupId/],
      ["a VPC IPv6 CIDR of the wrong family", { securityGroupId: SG, vpcCidrs: { ipv4: "10.0.0.0/16", ipv6: "10.1.0.0/16" } }, /- vpcCidrs\.ipv6: received "10\.1\.0\.0\/16"; expected an IPv6 CIDR block/],
    ])("refuses %s", (_what, extra, message) => {
      const error = errorOf(extra);
      expect(error).toBeInstanceOf(PropsError);
      expect(error.message).toMatch(/^Invalid props for NetworkListener at provider\/Api:\n/);
      expect(error.message).toMatch(message);
    });
  });
});
