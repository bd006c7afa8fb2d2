import { DataTerraformRemoteStateLocal, TerraformOutput, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ConsumerEndpoint, ConsumerEndpointProps, DnsRecordIpType, EndpointIpAddressType } from "../../modules/consumer-endpoint";
import { ListenerProtocol } from "../../modules/network-listener";
import { PropsError } from "../../modules/validation";

const SERVICE_NAME = "com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0";
const VPC = "vpc-0123456789abcdef0";
const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"];
const CLIENT_SG = "sg-0123456789abcdef0";

const BASE: ConsumerEndpointProps = {
  serviceName: SERVICE_NAME,
  vpcId: VPC,
  subnetIds: SUBNETS,
  ports: [{ port: 443 }],
  allowFrom: { securityGroupIds: [CLIENT_SG] },
};

/** A dual-stack endpoint, for IPv6 sources. */
const DUAL: ConsumerEndpointProps = { ...BASE, ipAddressType: EndpointIpAddressType.DUALSTACK };

function synth(props: ConsumerEndpointProps): string {
  return Testing.synthScope((scope) => {
    new ConsumerEndpoint(scope, "Endpoint", props);
  });
}

function build(props: ConsumerEndpointProps): () => void {
  return () => synth(props);
}

function parsed(text: string): any {
  return JSON.parse(text);
}

type IngressRule = Record<string, unknown>;
function ingressRules(text: string): IngressRule[] {
  return Object.values(parsed(text).resource.aws_vpc_security_group_ingress_rule ?? {});
}

/** Synthesizes an endpoint with its exposed fields as outputs; returns output name -> value. */
function outputs(props: ConsumerEndpointProps): Record<string, string> {
  const text = Testing.synthScope((scope) => {
    const e = new ConsumerEndpoint(scope, "Endpoint", props);
    new TerraformOutput(scope, "dns_names", { value: e.dnsNames });
    new TerraformOutput(scope, "zonal_dns_names", { value: e.zonalDnsNames });
    new TerraformOutput(scope, "endpoint_id", { value: e.endpointId });
    new TerraformOutput(scope, "network_interface_ids", { value: e.networkInterfaceIds });
    new TerraformOutput(scope, "security_group_id", { value: e.securityGroupId });
  });
  const out: Record<string, string> = {};
  for (const [name, o] of Object.entries<{ value: string }>(parsed(text).output)) out[name] = o.value;
  return out;
}

/** The zone-suffix regular expression the DNS name expressions give Terraform's regex(). */
function zoneSuffixPattern(expression: string): RegExp {
  const match = /regex\("([^"]+)"/.exec(expression);
  if (!match) throw new Error(`no regex() in ${expression}`);
  return new RegExp(match[1]);
}

describe("ConsumerEndpoint", () => {
  describe("interface endpoint", () => {
    test("is an Interface endpoint to the service in the given VPC and subnets", () => {
      // GIVEN minimal props
      // WHEN the construct is synthesized
      const out = synth(BASE);
      // THEN one interface endpoint is placed in those subnets
      expect(out).toHaveResourceWithProperties(VpcEndpoint, {
        vpc_endpoint_type: "Interface",
        service_name: SERVICE_NAME,
        vpc_id: VPC,
        subnet_ids: SUBNETS,
      });
      expect(Object.keys(parsed(out).resource.aws_vpc_endpoint)).toHaveLength(1);
    });

    test("attaches its own security group first, then the additional ones", () => {
      // GIVEN two additional security groups
      // WHEN the construct is synthesized
      const out = synth({ ...BASE, additionalSecurityGroupIds: ["sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb"] });
      // THEN the endpoint has all three, its own first
      const sgAddress = Object.keys(parsed(out).resource.aws_security_group)[0];
      expect(out).toHaveResourceWithProperties(VpcEndpoint, {
        security_group_ids: [`\${aws_security_group.${sgAddress}.id}`, "sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb"],
      });
    });

    test("attaches only its own security group by default", () => {
      // GIVEN no additional security groups
      // WHEN the construct is synthesized
      const out = synth(BASE);
      // THEN the endpoint has exactly one security group
      expect(out).toHaveResourceWithProperties(VpcEndpoint, {
        security_group_ids: [expect.stringMatching(/^\$\{aws_security_group\.[^.]+\.id\}$/)],
      });
    });

    test("defaults to an ipv4 endpoint with ipv4 DNS records", () => {
      // GIVEN no IP address type
      // WHEN the construct is synthesized
      const out = synth(BASE);
      // THEN both types are ipv4
      expect(out).toHaveResourceWithProperties(VpcEndpoint, { ip_address_type: "ipv4", dns_options: { dns_record_ip_type: "ipv4" } });
    });

    test("matches the DNS record IP type to a dualstack endpoint", () => {
      // GIVEN a dualstack endpoint and no DNS record IP type
      // WHEN the construct is synthesized
      const out = synth(DUAL);
      // THEN the DNS records are dualstack too
      expect(out).toHaveResourceWithProperties(VpcEndpoint, { ip_address_type: "dualstack", dns_options: { dns_record_ip_type: "dualstack" } });
    });

    test("matches the DNS record IP type to an ipv6 endpoint", () => {
      // GIVEN an ipv6 endpoint and no DNS record IP type
      // WHEN the construct is synthesized
      const out = synth({ ...BASE, ipAddressType: EndpointIpAddressType.IPV6 });
      // THEN the DNS records are ipv6
      expect(out).toHaveResourceWithProperties(VpcEndpoint, { ip_address_type: "ipv6", dns_options: { dns_record_ip_type: "ipv6" } });
    });

    test("uses an explicit compatible DNS record IP type", () => {
      // GIVEN a dualstack endpoint with A records only, and an ipv4 one with service-defined records
      // WHEN they are synthesized
      const dual = synth({ ...DUAL, dnsRecordIpType: DnsRecordIpType.IPV4 });
      const v4 = synth({ ...BASE, dnsRecordIpType: DnsRecordIpType.SERVICE_DEFINED });
      // THEN each endpoint has the given record type
      expect(dual).toHaveResourceWithProperties(VpcEndpoint, { ip_address_type: "dualstack", dns_options: { dns_record_ip_type: "ipv4" } });
      expect(v4).toHaveResourceWithProperties(VpcEndpoint, { ip_address_type: "ipv4", dns_options: { dns_record_ip_type: "service-defined" } });
    });

    test("leaves private DNS off by default", () => {
      // GIVEN no privateDnsEnabled
      // WHEN the construct is synthesized
      const out = synth(BASE);
      // THEN private DNS is off
      expect(out).toHaveResourceWithProperties(VpcEndpoint, { private_dns_enabled: false });
    });

    test("turns private DNS on when asked", () => {
      // GIVEN privateDnsEnabled
      // WHEN the construct is synthesized
      const out = synth({ ...BASE, privateDnsEnabled: true });
      // THEN private DNS is on
      expect(out).toHaveResourceWithProperties(VpcEndpoint, { private_dns_enabled: true });
    });

    test("sets service_region for a cross-region service and omits it otherwise", () => {
      // GIVEN one endpoint with a service region and one without
      // WHEN they are synthesized
      const crossRegion = synth({ ...BASE, serviceRegion: "us-east-1" });
      const local = synth(BASE);
      // THEN only the first has service_region
      expect(crossRegion).toHaveResourceWithProperties(VpcEndpoint, { service_region: "us-east-1" });
      expect(Object.values<Record<string, unknown>>(parsed(local).resource.aws_vpc_endpoint)[0]).not.toHaveProperty("service_region");
    });

    test("tags the endpoint, its security group and its rules", () => {
      // GIVEN tags
      const tags = { team: "payments" };
      // WHEN the construct is synthesized
      const out = synth({ ...BASE, tags });
      // THEN every resource carries them
      expect(out).toHaveResourceWithProperties(VpcEndpoint, { tags });
      expect(out).toHaveResourceWithProperties(SecurityGroup, { tags });
      expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { tags });
    });
  });

  describe("security group", () => {
    test("is created in the endpoint's VPC, replaced before destroy", () => {
      // GIVEN minimal props
      // WHEN the construct is synthesized
      const out = synth(BASE);
      // THEN one security group is in the VPC
      expect(out).toHaveResourceWithProperties(SecurityGroup, {
        vpc_id: VPC,
        name_prefix: "privatelink-endpoint-",
        lifecycle: { create_before_destroy: true },
      });
      expect(Object.keys(parsed(out).resource.aws_security_group)).toHaveLength(1);
    });

    test("has no egress and no inline ingress", () => {
      // GIVEN minimal props
      // WHEN the construct is synthesized
      const group = Object.values<Record<string, unknown>>(parsed(synth(BASE)).resource.aws_security_group)[0];
      // THEN neither inline block is present
      expect(group).not.toHaveProperty("egress");
      expect(group).not.toHaveProperty("ingress");
    });

    test("creates no egress rule resources", () => {
      // GIVEN minimal props
      // WHEN the construct is synthesized
      const resource = parsed(synth(BASE)).resource;
      // THEN nothing opens egress
      expect(resource).not.toHaveProperty("aws_vpc_security_group_egress_rule");
      expect(resource).not.toHaveProperty("aws_security_group_rule");
    });

    test("adds one ingress rule per source, port and protocol", () => {
      // GIVEN two ports and three sources
      // WHEN the construct is synthesized
      const out = synth({
        ...DUAL,
        ports: [{ port: 443 }, { port: 8443 }],
        allowFrom: { securityGroupIds: [CLIENT_SG], ipv4Cidrs: ["10.0.0.0/16"], ipv6Cidrs: ["2001:db8::/56"] },
      });
      // THEN there are 2 × 3 rules, each opening a single port
      const rules = ingressRules(out);
      expect(rules).toHaveLength(6);
      for (const rule of rules) expect(rule.from_port).toBe(rule.to_port);
      expect(rules.filter((r) => r.from_port === 443)).toHaveLength(3);
      expect(rules.filter((r) => r.from_port === 8443)).toHaveLength(3);
    });

    test("a TCP port (the default) gets a tcp rule", () => {
      // GIVEN a port without protocol
      // WHEN the construct is synthesized
      const out = synth(BASE);
      // THEN one tcp rule opens it
      expect(ingressRules(out)).toHaveLength(1);
      expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { ip_protocol: "tcp", from_port: 443, to_port: 443 });
    });

    test("a TLS port gets a tcp rule", () => {
      // GIVEN a TLS listener port
      // WHEN the construct is synthesized
      const out = synth({ ...BASE, ports: [{ port: 443, protocol: ListenerProtocol.TLS }] });
      // THEN one tcp rule opens it
      expect(ingressRules(out).map((r) => r.ip_protocol)).toEqual(["tcp"]);
    });

    test("a UDP port gets a udp rule only", () => {
      // GIVEN a UDP port
      // WHEN the construct is synthesized
      const out = synth({ ...BASE, ports: [{ port: 514, protocol: ListenerProtocol.UDP }] });
      // THEN one udp rule opens it
      expect(ingressRules(out).map((r) => r.ip_protocol)).toEqual(["udp"]);
      expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { ip_protocol: "udp", from_port: 514, to_port: 514 });
    });

    test("a TCP_UDP port gets a tcp and a udp rule", () => {
      // GIVEN a TCP_UDP port
      // WHEN the construct is synthesized
      const out = synth({ ...BASE, ports: [{ port: 53, protocol: ListenerProtocol.TCP_UDP }] });
      // THEN both protocols are opened on it
      expect(ingressRules(out).map((r) => r.ip_protocol).sort()).toEqual(["tcp", "udp"]);
      expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { ip_protocol: "tcp", from_port: 53, to_port: 53 });
      expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { ip_protocol: "udp", from_port: 53, to_port: 53 });
    });

    test("a security group source is a referenced_security_group_id", () => {
      // GIVEN a client security group
      // WHEN the construct is synthesized
      const rule = ingressRules(synth(BASE))[0];
      // THEN the rule references it and has no CIDR
      expect(rule.referenced_security_group_id).toBe(CLIENT_SG);
      expect(rule).not.toHaveProperty("cidr_ipv4");
      expect(rule).not.toHaveProperty("cidr_ipv6");
      expect(rule.security_group_id).toMatch(/^\$\{aws_security_group\.[^.]+\.id\}$/);
      expect(rule.description).toBe(`TCP 443 from ${CLIENT_SG}`);
    });

    test("an IPv4 source is a cidr_ipv4", () => {
      // GIVEN an IPv4 client range
      // WHEN the construct is synthesized
      const rule = ingressRules(synth({ ...BASE, allowFrom: { ipv4Cidrs: ["10.0.0.0/16"] } }))[0];
      // THEN the rule opens that range only
      expect(rule.cidr_ipv4).toBe("10.0.0.0/16");
      expect(rule).not.toHaveProperty("cidr_ipv6");
      expect(rule).not.toHaveProperty("referenced_security_group_id");
    });

    test("an IPv6 source is a cidr_ipv6", () => {
      // GIVEN an IPv6 client range on a dualstack endpoint
      // WHEN the construct is synthesized
      const rule = ingressRules(synth({ ...DUAL, allowFrom: { ipv6Cidrs: ["2001:db8::/56"] } }))[0];
      // THEN the rule opens that range only
      expect(rule.cidr_ipv6).toBe("2001:db8::/56");
      expect(rule).not.toHaveProperty("cidr_ipv4");
      expect(rule).not.toHaveProperty("referenced_security_group_id");
    });

    test("0.0.0.0/0 and ::/0 are accepted with allowFrom.allowAnyAddress", () => {
      // GIVEN the whole internet, explicitly allowed
      // WHEN the construct is synthesized
      const out = synth({ ...DUAL, allowFrom: { ipv4Cidrs: ["0.0.0.0/0"], ipv6Cidrs: ["::/0"], allowAnyAddress: true } });
      // THEN both ranges get a rule
      expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { cidr_ipv4: "0.0.0.0/0" });
      expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { cidr_ipv6: "::/0" });
    });
  });

  describe("Terraform addresses", () => {
    const ruleAddresses = (text: string): string[] => Object.keys(parsed(text).resource.aws_vpc_security_group_ingress_rule ?? {}).sort();

    test("ingress rules are named by the port's position (or id), not its number: a moved port is updated in place", () => {
      // GIVEN the same endpoint serving 443, then 8443
      const before = synth(BASE);
      const after = synth({ ...BASE, ports: [{ port: 8443 }] });

      // THEN the rule keeps its address and only its ports change
      expect(ruleAddresses(after)).toEqual(ruleAddresses(before));
      expect(ingressRules(after)[0]).toMatchObject({ from_port: 8443, to_port: 8443 });
      for (const key of ruleAddresses(after)) expect(key).not.toMatch(/443/);
    });

    test("a port id keeps a port's rules when the ports before it are removed", () => {
      // GIVEN ports api and admin, then admin alone
      const both = synth({ ...BASE, ports: [{ port: 443, id: "api" }, { port: 8443, id: "admin" }] });
      const adminOnly = synth({ ...BASE, ports: [{ port: 8443, id: "admin" }] });

      // THEN admin's rule has the same address in both
      const adminRule = (text: string) => Object.entries<any>(parsed(text).resource.aws_vpc_security_group_ingress_rule).find(([, r]) => r.from_port === 8443)![0];
      expect(adminRule(adminOnly)).toBe(adminRule(both));
    });

    test("a moved block carries each rule over from its earlier address, which held protocol and port", () => {
      // GIVEN one TCP port and one client security group
      // WHEN synthesized
      const json = parsed(synth(BASE));

      // THEN the rule is moved from the address it had before 0.2
      const [rule] = ruleAddresses(JSON.stringify(json));
      expect(json.moved).toEqual([{ from: expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.Endpoint_Ingress-tcp443-sg_0123456789abcdef0_[0-9A-F]{8}$/), to: `aws_vpc_security_group_ingress_rule.${rule}` }]);
    });
  });

  describe("exposed fields", () => {
    test("dnsNames is the endpoint's regional DNS names from dns_entry", () => {
      // GIVEN an endpoint whose dnsNames is an output
      // WHEN the construct is synthesized
      const value = outputs(BASE).dns_names;
      // THEN the output is a for expression over the endpoint's dns_entry that keeps non-zonal vpce names
      expect(value).toMatch(/^\$\{\[for n in distinct\(aws_vpc_endpoint\.[^.]+\.dns_entry\[\*\]\.dns_name\) : n if /);
      expect(value).toMatch(/strcontains\(n, "\.vpce\.amazonaws\.com"\)/);
      expect(value).toMatch(/!can\(regex\("[^"]+", split\("\.", n\)\[0\]\)\)\]\}$/);
    });

    test("zonalDnsNames maps Availability Zone to zonal DNS name from dns_entry", () => {
      // GIVEN an endpoint whose zonalDnsNames is an output
      // WHEN the construct is synthesized
      const value = outputs(BASE).zonal_dns_names;
      // THEN the output is a map for expression keyed by the zone captured from the first label
      expect(value).toMatch(/^\$\{\{for n in distinct\(aws_vpc_endpoint\.[^.]+\.dns_entry\[\*\]\.dns_name\) : /);
      expect(value).toMatch(/regex\("[^"]+", split\("\.", n\)\[0\]\)\[0\] => n if can\(regex\(/);
    });

    test("the zone pattern tells zonal labels from regional ones", () => {
      // GIVEN the pattern the DNS name expressions use
      const pattern = zoneSuffixPattern(outputs(BASE).zonal_dns_names);
      // WHEN it is applied to real first labels
      // THEN it captures the Availability Zone of zonal names only
      expect(pattern.exec("vpce-0123456789abcdef0-abcd1234-us-west-2a")?.[1]).toBe("us-west-2a");
      expect(pattern.exec("vpce-0123456789abcdef0-abcd1234-us-gov-west-1b")?.[1]).toBe("us-gov-west-1b");
      expect(pattern.exec("vpce-0123456789abcdef0-abcd1234-ap-southeast-2c")?.[1]).toBe("ap-southeast-2c");
      expect(pattern.test("vpce-0123456789abcdef0-abcd1234")).toBe(false);
      expect(zoneSuffixPattern(outputs(BASE).dns_names).source).toBe(pattern.source);
    });

    test("endpointId, networkInterfaceIds and securityGroupId reference the resources", () => {
      // GIVEN an endpoint whose fields are outputs
      // WHEN the construct is synthesized
      const out = outputs(BASE);
      // THEN each output references its attribute
      expect(out.endpoint_id).toMatch(/^\$\{aws_vpc_endpoint\.[^.]+\.id\}$/);
      expect(out.network_interface_ids).toMatch(/^\$\{tolist\(aws_vpc_endpoint\.[^.]+\.network_interface_ids\)\}$/);
      expect(out.security_group_id).toMatch(/^\$\{aws_security_group\.[^.]+\.id\}$/);
    });

    test("ipAddressType, endpoint, securityGroup and ingressRules are exposed", () => {
      // GIVEN a dualstack endpoint with a TCP_UDP port and two sources
      let endpoint: ConsumerEndpoint | undefined;
      // WHEN it is built
      Testing.synthScope((scope) => {
        endpoint = new ConsumerEndpoint(scope, "Endpoint", {
          ...DUAL,
          ports: [{ port: 53, protocol: ListenerProtocol.TCP_UDP }],
          allowFrom: { securityGroupIds: [CLIENT_SG], ipv6Cidrs: ["2001:db8::/56"] },
        });
      });
      // THEN the fields hold the resolved choice and the resources
      expect(endpoint?.ipAddressType).toBe(EndpointIpAddressType.DUALSTACK);
      expect(endpoint?.endpoint).toBeInstanceOf(VpcEndpoint);
      expect(endpoint?.securityGroup).toBeInstanceOf(SecurityGroup);
      expect(endpoint?.ingressRules).toHaveLength(4);
      for (const rule of endpoint?.ingressRules ?? []) expect(rule).toBeInstanceOf(VpcSecurityGroupIngressRule);
    });

    test("ipAddressType defaults to ipv4", () => {
      // GIVEN no ipAddressType
      let endpoint: ConsumerEndpoint | undefined;
      // WHEN it is built
      Testing.synthScope((scope) => {
        endpoint = new ConsumerEndpoint(scope, "Endpoint", BASE);
      });
      // THEN the field says ipv4
      expect(endpoint?.ipAddressType).toBe(EndpointIpAddressType.IPV4);
    });
  });

  describe("validation", () => {
    test("refuses a serviceName that is not an endpoint service name", () => {
      // GIVEN a service id where the name belongs
      // WHEN / THEN the construct throws naming serviceName
      expect(build({ ...BASE, serviceName: "vpce-svc-0123456789abcdef0" })).toThrow(/serviceName: received "vpce-svc-0123456789abcdef0"/);
    });

    test("refuses a vpcId that is not vpc-...", () => {
      // GIVEN a bad VPC id
      // WHEN / THEN the construct throws naming vpcId
      expect(build({ ...BASE, vpcId: "vpc-123" })).toThrow(/vpcId: received "vpc-123"/);
    });

    test("refuses an empty subnetIds", () => {
      // GIVEN no subnets
      // WHEN / THEN the construct throws naming subnetIds
      expect(build({ ...BASE, subnetIds: [] })).toThrow(/subnetIds: received \[\]; expected at least one subnet id/);
    });

    test("refuses a subnet id that is not subnet-...", () => {
      // GIVEN a bad second subnet id
      // WHEN / THEN the construct throws naming subnetIds[1]
      expect(build({ ...BASE, subnetIds: [SUBNETS[0], "sub-0123456789abcdef1"] })).toThrow(/subnetIds\[1\]: received "sub-0123456789abcdef1"/);
    });

    test("refuses a subnet given twice", () => {
      // GIVEN the same subnet twice
      // WHEN / THEN the construct throws naming subnetIds
      expect(build({ ...BASE, subnetIds: [SUBNETS[0], SUBNETS[0]] })).toThrow(/subnetIds: received "subnet-0123456789abcdef0"; expected each subnet once/);
    });

    test("refuses an empty ports", () => {
      // GIVEN no ports
      // WHEN / THEN the construct throws naming ports
      expect(build({ ...BASE, ports: [] })).toThrow(/ports: received \[\]; expected at least one/);
    });

    test("refuses a port outside 1-65535 or not whole", () => {
      // GIVEN bad ports
      // WHEN / THEN the construct throws naming the port's path
      expect(build({ ...BASE, ports: [{ port: 443 }, { port: 0 }] })).toThrow(/ports\[1\]\.port: received 0/);
      expect(build({ ...BASE, ports: [{ port: 65536 }] })).toThrow(/ports\[0\]\.port: received 65536/);
      expect(build({ ...BASE, ports: [{ port: 44.3 }] })).toThrow(/ports\[0\]\.port: received 44\.3/);
    });

    test("refuses an unknown port protocol", () => {
      // GIVEN a protocol outside ListenerProtocol
      // WHEN / THEN the construct throws naming the protocol's path
      expect(build({ ...BASE, ports: [{ port: 443, protocol: "HTTPS" as ListenerProtocol }] })).toThrow(/ports\[0\]\.protocol: received "HTTPS"/);
    });

    test("refuses a port given twice", () => {
      // GIVEN port 443 twice
      // WHEN / THEN the construct throws naming ports
      expect(build({ ...BASE, ports: [{ port: 443 }, { port: 443, protocol: ListenerProtocol.TLS }] })).toThrow(/ports: received 443; expected each port once/);
    });

    test("refuses an unknown ipAddressType", () => {
      // GIVEN an IP address type outside the enum
      // WHEN / THEN the construct throws naming ipAddressType
      expect(build({ ...BASE, ipAddressType: "ipv5" as EndpointIpAddressType })).toThrow(/ipAddressType: received "ipv5"/);
    });

    test("refuses a DNS record IP type the endpoint's IP address type cannot have", () => {
      // GIVEN AAAA-only records on an ipv4 endpoint and A-only records on an ipv6 one
      // WHEN / THEN the construct throws naming dnsRecordIpType
      expect(build({ ...BASE, dnsRecordIpType: DnsRecordIpType.DUALSTACK })).toThrow(/dnsRecordIpType: received "dualstack"; expected one of ipv4, service-defined for an ipv4 endpoint/);
      expect(build({ ...BASE, ipAddressType: EndpointIpAddressType.IPV6, dnsRecordIpType: DnsRecordIpType.IPV4 })).toThrow(/dnsRecordIpType: received "ipv4"/);
    });

    test("refuses an allowFrom with no source", () => {
      // GIVEN nobody allowed in
      // WHEN / THEN the construct throws naming allowFrom
      expect(build({ ...BASE, allowFrom: {} })).toThrow(/allowFrom: received \{\}; expected at least one client/);
      expect(build({ ...BASE, allowFrom: { securityGroupIds: [], ipv4Cidrs: [] } })).toThrow(/allowFrom: received/);
    });

    test("refuses a source security group id that is not sg-...", () => {
      // GIVEN a bad client security group
      // WHEN / THEN the construct throws naming its path
      expect(build({ ...BASE, allowFrom: { securityGroupIds: [CLIENT_SG, "sg-xyz"] } })).toThrow(/allowFrom\.securityGroupIds\[1\]: received "sg-xyz"/);
    });

    test("refuses an IPv4 source that is not an IPv4 CIDR", () => {
      // GIVEN an address without prefix and an IPv6 range in the IPv4 list
      // WHEN / THEN the construct throws naming the path and the format
      expect(build({ ...BASE, allowFrom: { ipv4Cidrs: ["10.0.0.1"] } })).toThrow(/allowFrom\.ipv4Cidrs\[0\]: received "10\.0\.0\.1"; expected an IPv4 CIDR block/);
      expect(build({ ...BASE, allowFrom: { ipv4Cidrs: ["10.0.0.0/8", "2001:db8::/56"] } })).toThrow(/allowFrom\.ipv4Cidrs\[1\]: received "2001:db8::\/56"; expected an IPv4 CIDR block/);
    });

    test("refuses 0.0.0.0/0 without allowFrom.allowAnyAddress", () => {
      // GIVEN the whole IPv4 internet, not explicitly allowed
      // WHEN / THEN the construct throws naming the path and the fix
      expect(build({ ...BASE, allowFrom: { ipv4Cidrs: ["0.0.0.0/0"] } })).toThrow(/allowFrom\.ipv4Cidrs\[0\]: received "0\.0\.0\.0\/0"; expected a narrower CIDR than the whole internet, or allowFrom\.allowAnyAddress: true/);
      expect(build({ ...BASE, allowFrom: { ipv4Cidrs: ["0.0.0.0/0"], allowAnyAddress: false } })).toThrow(/allowFrom\.ipv4Cidrs\[0\]/);
    });

    test("accepts 0.0.0.0/0 with allowFrom.allowAnyAddress", () => {
      // GIVEN the whole IPv4 internet, explicitly allowed
      // WHEN / THEN the construct does not throw
      expect(build({ ...BASE, allowFrom: { ipv4Cidrs: ["0.0.0.0/0"], allowAnyAddress: true } })).not.toThrow();
    });

    test("refuses an IPv6 source that is not an IPv6 CIDR", () => {
      // GIVEN an IPv4 range in the IPv6 list
      // WHEN / THEN the construct throws naming the path and the format
      expect(build({ ...DUAL, allowFrom: { ipv6Cidrs: ["10.0.0.0/16"] } })).toThrow(/allowFrom\.ipv6Cidrs\[0\]: received "10\.0\.0\.0\/16"; expected an IPv6 CIDR block/);
    });

    test("refuses ::/0 without allowFrom.allowAnyAddress", () => {
      // GIVEN the whole IPv6 internet, not explicitly allowed
      // WHEN / THEN the construct throws naming the path and the fix
      expect(build({ ...DUAL, allowFrom: { ipv6Cidrs: ["::/0"] } })).toThrow(/allowFrom\.ipv6Cidrs\[0\]: received "::\/0"; expected a narrower CIDR than the whole internet/);
    });

    test("accepts ::/0 with allowFrom.allowAnyAddress", () => {
      // GIVEN the whole IPv6 internet, explicitly allowed
      // WHEN / THEN the construct does not throw
      expect(build({ ...DUAL, allowFrom: { ipv6Cidrs: ["::/0"], allowAnyAddress: true } })).not.toThrow();
    });

    test("refuses IPv6 sources for an ipv4 endpoint", () => {
      // GIVEN an IPv6 range on the default ipv4 endpoint
      // WHEN / THEN the construct throws naming the path and the fix
      expect(build({ ...BASE, allowFrom: { ipv6Cidrs: ["2001:db8::/56"] } })).toThrow(/allowFrom\.ipv6Cidrs\[0\]: received "2001:db8::\/56"; expected no IPv6 sources for an ipv4 endpoint/);
    });

    test("accepts IPv6 sources for an ipv6 endpoint", () => {
      // GIVEN an IPv6 range on an ipv6 endpoint
      // WHEN / THEN the construct does not throw
      expect(build({ ...BASE, ipAddressType: EndpointIpAddressType.IPV6, allowFrom: { ipv6Cidrs: ["2001:db8::/56"] } })).not.toThrow();
    });

    test("refuses a source given twice", () => {
      // GIVEN the same CIDR twice
      // WHEN / THEN the construct throws naming allowFrom
      expect(build({ ...BASE, allowFrom: { ipv4Cidrs: ["10.0.0.0/16", "10.0.0.0/16"] } })).toThrow(/allowFrom\.ipv4Cidrs: received "10\.0\.0\.0\/16"; expected each source once/);
      expect(build({ ...BASE, allowFrom: { securityGroupIds: [CLIENT_SG, CLIENT_SG] } })).toThrow(/allowFrom\.securityGroupIds: received "sg-0123456789abcdef0"; expected each source once/);
      // one block written two ways would be two rules with one id
      expect(build({ ...DUAL, allowFrom: { ipv6Cidrs: ["2001:db8::/56", "2001:db8:0::/56"] } })).toThrow(/allowFrom\.ipv6Cidrs: received "2001:db8:0::\/56"; expected each source once: 2001:db8:0::\/56 is 2001:db8::\/56, written another way/);
    });

    test("refuses an additional security group id that is not sg-...", () => {
      // GIVEN a bad additional security group
      // WHEN / THEN the construct throws naming its path
      expect(build({ ...BASE, additionalSecurityGroupIds: ["sg-0aaaaaaaaaaaaaaaa", "default"] })).toThrow(/additionalSecurityGroupIds\[1\]: received "default"/);
    });

    test("refuses a serviceRegion that is not a region code", () => {
      // GIVEN an Availability Zone where a region belongs
      // WHEN / THEN the construct throws naming serviceRegion
      expect(build({ ...BASE, serviceRegion: "us-east-1a" })).toThrow(/serviceRegion: received "us-east-1a"/);
    });

    test("reports several problems at once", () => {
      // GIVEN props with several problems
      const props: ConsumerEndpointProps = {
        ...BASE,
        vpcId: "vpc-x",
        subnetIds: ["subnet-x"],
        ports: [{ port: 0 }],
        allowFrom: { ipv4Cidrs: ["0.0.0.0/0"] },
        serviceRegion: "mars-1",
      };
      // WHEN the construct is built
      let error: unknown;
      try {
        synth(props);
      } catch (e) {
        error = e;
      }
      // THEN one PropsError lists them all
      expect(error).toBeInstanceOf(PropsError);
      expect((error as PropsError).problems.map((p) => p.path)).toEqual(["vpcId", "subnetIds[0]", "ports[0].port", "allowFrom.ipv4Cidrs[0]", "serviceRegion"]);
      expect((error as PropsError).message).toMatch(/^Invalid props for ConsumerEndpoint at stack\/[\w-]+:\n {2}- vpcId: /);
    });

    test("does not judge unresolved tokens", () => {
      // GIVEN every string from remote state or variables, and subnets as a token list
      // WHEN the construct is synthesized
      const out = Testing.synthScope((scope: Construct) => {
        const remote = new DataTerraformRemoteStateLocal(scope, "network", { path: "network.tfstate" });
        const port = new TerraformVariable(scope, "port", { type: "number" });
        new ConsumerEndpoint(scope, "Endpoint", {
          serviceName: remote.getString("service_name"),
          vpcId: remote.getString("vpc_id"),
          subnetIds: remote.getList("subnet_ids"),
          ports: [{ port: port.numberValue }],
          allowFrom: {
            securityGroupIds: [remote.getString("client_sg")],
            ipv4Cidrs: [remote.getString("client_v4")],
            ipv6Cidrs: [remote.getString("client_v6")],
          },
          additionalSecurityGroupIds: [remote.getString("extra_sg")],
          serviceRegion: new TerraformVariable(scope, "service_region", { type: "string" }).stringValue,
        });
      });
      // THEN the tokens pass through to the resources
      expect(out).toHaveResourceWithProperties(VpcEndpoint, {
        service_name: "${data.terraform_remote_state.network.outputs.service_name}",
        vpc_id: "${data.terraform_remote_state.network.outputs.vpc_id}",
        subnet_ids: "${data.terraform_remote_state.network.outputs.subnet_ids}",
        service_region: "${var.service_region}",
        security_group_ids: [expect.stringMatching(/aws_security_group/), "${data.terraform_remote_state.network.outputs.extra_sg}"],
      });
      expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
        referenced_security_group_id: "${data.terraform_remote_state.network.outputs.client_sg}",
        from_port: "${var.port}",
        description: "TCP ${var.port} from allowed client",
      });
      expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { cidr_ipv4: "${data.terraform_remote_state.network.outputs.client_v4}" });
      expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { cidr_ipv6: "${data.terraform_remote_state.network.outputs.client_v6}" });
      expect(ingressRules(out)).toHaveLength(3);
    });
  });
});

describe("ConsumerEndpoint regressions", () => {
  test("two IPv6 ranges whose short forms look alike get one rule each", () => {
    // GIVEN two different /112 networks that differ only in where '::' falls
    const props = { ...DUAL, allowFrom: { ipv6Cidrs: ["2001:db8::1:0/112", "2001:db8:1::0/112"] } };
    // WHEN synthesized / THEN both rules exist
    const rules = ingressRules(synth(props));
    expect(rules.map((r) => r.cidr_ipv6).sort()).toEqual(["2001:db8:1::0/112", "2001:db8::1:0/112"]);
  });

  test("whole-list tokens in allowFrom and ports give one rule resource with for_each over port, IP protocol and client", () => {
    // GIVEN clients and ports that only Terraform knows (module variables)
    const text = Testing.synthScope((scope) => {
      const ports = new TerraformVariable(scope, "ports", { type: "map(object({ port = number, protocol = optional(string) }))" });
      const sgs = new TerraformVariable(scope, "client_sgs", { type: "list(string)" });
      new ConsumerEndpoint(scope, "Endpoint", { ...DUAL, ports: ports.value, allowFrom: { securityGroupIds: sgs.listValue, ipv4Cidrs: ["10.0.0.0/16"] } });
    });
    const out = parsed(text);
    // THEN one rule resource iterates over a local map of every port, IP protocol and client
    const rules = ingressRules(text);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      ip_protocol: "${each.value.ip_protocol}",
      from_port: "${each.value.port}",
      to_port: "${each.value.port}",
      referenced_security_group_id: '${each.value.kind == "sg" ? each.value.source : null}',
      cidr_ipv4: '${each.value.kind == "ipv4" ? each.value.source : null}',
      security_group_id: expect.stringMatching(/^\$\{aws_security_group\..+\.id\}$/),
    });
    const [name, expression] = Object.entries<string>(out.locals)[0];
    expect(rules[0].for_each).toBe(`\${local.${name}}`);
    // keyed by port id (or position), IP protocol and client; both lists and the written CIDR are read
    expect(expression).toContain('format("%s/%s/%s", k, proto, try(cidrsubnet(s.value, 0, 0), s.value))');
    expect(expression).toContain('[for s in var.client_sgs : { kind = "sg", value = s }]');
    expect(expression).toContain('[for s in ["10.0.0.0/16"] : { kind = "ipv4", value = s }]');
    expect(expression).toContain("for k, e in var.ports");
  });

  test("rules of clients that are Terraform values carry preconditions: no whole internet unless allowed, CIDRs of their family, no IPv6 client of an ipv4 endpoint", () => {
    const text = Testing.synthScope((scope) => {
      const cidrs = new TerraformVariable(scope, "cidrs", { type: "list(string)" });
      new ConsumerEndpoint(scope, "Endpoint", { ...BASE, allowFrom: { ipv4Cidrs: cidrs.listValue } });
    });
    const [rule] = ingressRules(text) as any[];
    const conditions = rule.lifecycle.precondition.map((p: any) => p.condition);
    expect(conditions).toEqual([
      '${false || each.value.kind == "sg" || !can(regex("/0+$", each.value.source))}',
      '${each.value.kind == "sg" || (can(cidrhost(each.value.source, 0)) && strcontains(each.value.source, ":") == (each.value.kind == "ipv6"))}',
      '${each.value.kind != "ipv6" || "ipv4" != "ipv4"}',
    ]);
    expect(rule.lifecycle.precondition[0].error_message).toBe("allowFrom: ${each.value.source} admits the whole internet: expected a narrower CIDR, or allowFrom.allowAnyAddress: true.");
  });

  test("subnets as a list token are zone-checked through one aws_subnet data source with for_each", () => {
    // GIVEN subnets that only Terraform knows
    const out = parsed(
      Testing.synthScope((scope) => {
        const subnets = new TerraformVariable(scope, "subnet_ids", { type: "list(string)" });
        new ConsumerEndpoint(scope, "Endpoint", { ...BASE, subnetIds: subnets.listValue });
      }),
    );
    // THEN one data source reads them all and one precondition judges them all
    expect(Object.values(out.data.aws_subnet)).toEqual([expect.objectContaining({ for_each: "${{ for i, s in var.subnet_ids : tostring(i) => s }}", id: "${each.value}" })]);
    const endpoint: any = Object.values(out.resource.aws_vpc_endpoint)[0];
    expect(endpoint.lifecycle.precondition).toHaveLength(1);
    expect(endpoint.lifecycle.precondition[0].condition).toMatch(/^\$\{length\(\[for s in data\.aws_subnet\.[^ ]+ : format\(.*if !contains\(.*\)\]\) == 0\}$/);
    expect(endpoint.lifecycle.precondition[0].error_message).toContain("Subnets outside the zones the endpoint service");
  });


  test("additionalSecurityGroupIds as a list token is concatenated with the endpoint's own group", () => {
    const out = parsed(
      Testing.synthScope((scope) => {
        const extra = new TerraformVariable(scope, "extra_sgs", { type: "list(string)" });
        new ConsumerEndpoint(scope, "Endpoint", { ...BASE, additionalSecurityGroupIds: extra.listValue });
      }),
    );
    const ep = Object.values<any>(out.resource.aws_vpc_endpoint)[0];
    expect(ep.security_group_ids).toMatch(/^\$\{concat\(\[aws_security_group\.[^.]+\.id\], var\.extra_sgs\)\}$/);
  });
});

describe("ConsumerEndpoint CIDR network addresses", () => {
  test("an IPv4 CIDR with host bits set is refused, naming the network address", () => {
    expect(build({ ...BASE, allowFrom: { ipv4Cidrs: ["10.1.0.5/16"] } })).toThrow(/allowFrom\.ipv4Cidrs\[0\]: received "10\.1\.0\.5\/16"; expected the network address of the block, 10\.1\.0\.0\/16/);
  });

  test("an IPv6 CIDR with host bits set is refused, naming the network address", () => {
    expect(build({ ...DUAL, allowFrom: { ipv6Cidrs: ["2001:db8::1/56"] } })).toThrow(/allowFrom\.ipv6Cidrs\[0\]: received "2001:db8::1\/56"; expected the network address of the block, 2001:db8::\/56/);
  });
});

describe("ConsumerEndpoint zone check", () => {
  const json = (props: ConsumerEndpointProps) => parsed(synth(props));
  /** The data sources' addresses and the expressions every precondition is built of. */
  const refs = (out: any) => {
    const service = `data.aws_vpc_endpoint_service.${Object.keys(out.data.aws_vpc_endpoint_service)[0]}`;
    const zones = `data.aws_availability_zones.${Object.keys(out.data.aws_availability_zones)[0]}`;
    const idOf = (name: string) => `lookup(zipmap(${zones}.names, ${zones}.zone_ids), ${name}, ${name})`;
    return { service, zones, idOf, served: `[for n in ${service}.availability_zones : ${idOf("n")}]` };
  };

  test("one precondition per subnet: its zone id is among the service's, mapped from this account's names", () => {
    // GIVEN two subnets whose zones are known by name
    const out = json({ ...BASE, subnetAvailabilityZones: ["us-west-2a", "us-west-2b"] });
    // THEN the service is read by name, this account's zones are read, and each subnet's zone id is checked
    const { service, idOf, served } = refs(out);
    expect(Object.values<any>(out.data.aws_vpc_endpoint_service)[0]).toEqual(expect.objectContaining({ service_name: SERVICE_NAME }));
    expect(Object.values<any>(out.data.aws_availability_zones)).toHaveLength(1);
    expect(service).toMatch(/^data\.aws_vpc_endpoint_service\./);
    const endpoint = Object.values<any>(out.resource.aws_vpc_endpoint)[0];
    expect(endpoint.lifecycle.precondition).toEqual([
      {
        condition: `\${contains(${served}, ${idOf('"us-west-2a"')})}`,
        error_message: `Subnet ${SUBNETS[0]} is in \${${idOf('"us-west-2a"')}} (us-west-2a), a zone the endpoint service ${SERVICE_NAME} does not serve: it serves \${join(", ", ${served})} (zone ids, the same in every account). Use subnets in those zones, or ask the provider to add this zone to the load balancer.`,
      },
      expect.objectContaining({ condition: `\${contains(${served}, ${idOf('"us-west-2b"')})}` }),
    ]);
    expect(out.data.aws_subnet).toBeUndefined();
  });

  test("subnets given by zone id are compared as they are", () => {
    // GIVEN subnets whose zones are known by id
    const out = json({ ...BASE, subnetAvailabilityZones: ["usw2-az1", "usw2-az2"] });
    // THEN the id itself is looked for among the service's zone ids
    const { served } = refs(out);
    const endpoint = Object.values<any>(out.resource.aws_vpc_endpoint)[0];
    expect(endpoint.lifecycle.precondition.map((c: any) => c.condition)).toEqual([`\${contains(${served}, "usw2-az1")}`, `\${contains(${served}, "usw2-az2")}`]);
    expect(endpoint.lifecycle.precondition[0].error_message).toMatch(/^Subnet subnet-0123456789abcdef0 is in usw2-az1, a zone the endpoint service/);
  });

  test("subnets whose zones are not given are looked up, by zone id", () => {
    const out = json(BASE);
    const subnets = Object.entries<any>(out.data.aws_subnet);
    expect(subnets.map(([, s]) => s.id)).toEqual(SUBNETS);
    const { served } = refs(out);
    const endpoint = Object.values<any>(out.resource.aws_vpc_endpoint)[0];
    expect(endpoint.lifecycle.precondition[0].condition).toBe(`\${contains(${served}, data.aws_subnet.${subnets[0][0]}.availability_zone_id)}`);
  });

  test("no check for a cross-region endpoint, or when turned off", () => {
    for (const props of [{ ...BASE, serviceRegion: "eu-west-1" }, { ...BASE, checkServiceZones: false }]) {
      const out = json(props);
      expect(out.data?.aws_vpc_endpoint_service).toBeUndefined();
      expect(out.data?.aws_availability_zones).toBeUndefined();
      expect(Object.values<any>(out.resource.aws_vpc_endpoint)[0].lifecycle).toBeUndefined();
    }
  });
});
