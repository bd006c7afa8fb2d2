/** Stage 1, the provider stack: dual-stack NLB, targets, endpoint service, contract outputs. */
import * as fs from "fs";
import { SynthResult, exampleJson, synthConfig } from "../support/synth";

const synthesized: SynthResult[] = [];
function providerStack(json: unknown): any {
  const result = synthConfig(json);
  synthesized.push(result);
  return result.stacks.provider;
}
afterAll(() => synthesized.forEach((r) => fs.rmSync(r.outdir, { recursive: true, force: true })));

const resources = (stack: any, type: string): any[] => Object.values(stack.resource?.[type] ?? {});
const only = (stack: any, type: string): any => {
  const found = resources(stack, type);
  expect(found).toHaveLength(1);
  return found[0];
};

const CONTRACT_OUTPUTS = [
  "service_id",
  "service_name",
  "service_arn",
  "service_type",
  "supported_ip_address_types",
  "availability_zones",
  "private_dns_name",
  "private_dns_verification_name",
  "private_dns_verification_value",
  "private_dns_verification_type",
  "nlb_arn",
  "nlb_dns_name",
];

describe("provider stack of the built-in example", () => {
  let stack: any;
  beforeAll(() => {
    stack = providerStack(exampleJson());
  });

  test("has every contract output, under its exact name, with a value", () => {
    // GIVEN the synthesized provider stack
    // WHEN its outputs are listed
    const outputs = stack.output;
    // THEN each contract name is there with a value
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(CONTRACT_OUTPUTS));
    for (const name of CONTRACT_OUTPUTS) expect({ name, value: outputs[name].value }).toEqual({ name, value: expect.anything() });
  });

  test.each([
    ["service_id", /^\$\{aws_vpc_endpoint_service\.[^.]+\.id\}$/],
    ["service_name", /^\$\{aws_vpc_endpoint_service\.[^.]+\.service_name\}$/],
    ["service_arn", /^\$\{aws_vpc_endpoint_service\.[^.]+\.arn\}$/],
    ["service_type", /^\$\{aws_vpc_endpoint_service\.[^.]+\.service_type\}$/],
    ["supported_ip_address_types", /aws_vpc_endpoint_service\.[^.]+\.supported_ip_address_types/],
    ["availability_zones", /aws_vpc_endpoint_service\.[^.]+\.availability_zones/],
    ["private_dns_verification_name", /aws_vpc_endpoint_service\.[^.]+\.private_dns_name_configuration\[0\]\.name/],
    ["private_dns_verification_value", /aws_vpc_endpoint_service\.[^.]+\.private_dns_name_configuration\[0\]\.value/],
    ["private_dns_verification_type", /aws_vpc_endpoint_service\.[^.]+\.private_dns_name_configuration\[0\]\.type/],
    ["nlb_arn", /^\$\{aws_lb\.[^.]+\.arn\}$/],
    ["nlb_dns_name", /^\$\{aws_lb\.[^.]+\.dns_name\}$/],
  ])("output %s refers to the matching attribute", (name, reference) => {
    // GIVEN the synthesized provider stack
    // WHEN the output is read
    // THEN its value references the endpoint service or load balancer attribute
    expect(stack.output[name].value).toMatch(reference);
  });

  test("no output snapshots the domain's verification state, which changes after apply", () => {
    // GIVEN the synthesized provider stack
    // WHEN its outputs are read
    // THEN none refers to the verification state (pendingVerification -> verified)
    expect(Object.keys(stack.output)).not.toContain("private_dns_verification_state");
    for (const [name, o] of Object.entries<any>(stack.output)) expect({ name, value: JSON.stringify(o.value) }).toEqual({ name, value: expect.not.stringMatching(/\.state\b/) });
  });

  test("output private_dns_name is the configured private DNS name", () => {
    // GIVEN the example's privateDnsName api.example.com
    // WHEN the output is read
    // THEN it carries that name
    expect(stack.output.private_dns_name.value).toBe("api.example.com");
  });

  test("the load balancer is an internal dual-stack network load balancer", () => {
    // GIVEN the synthesized provider stack
    // WHEN its aws_lb is read
    // THEN it is internal, network type and dualstack
    expect(only(stack, "aws_lb")).toEqual(expect.objectContaining({ internal: true, load_balancer_type: "network", ip_address_type: "dualstack" }));
  });

  test("the load balancer spans the created subnets", () => {
    // GIVEN the example's created provider network in two zones
    // WHEN the load balancer's subnets are read
    const lb = only(stack, "aws_lb");
    // THEN it has both subnets of the stack
    expect(lb.subnets).toHaveLength(2);
    for (const s of lb.subnets) expect(s).toMatch(/^\$\{aws_subnet\.[^.]+\.id\}$/);
  });

  test("the listener forwards TCP 80 to the target group", () => {
    // GIVEN the example's listener TCP 80
    // WHEN the listener is read
    const listener = only(stack, "aws_lb_listener");
    // THEN it listens on TCP 80 of the load balancer and forwards to the target group
    expect(listener).toEqual(
      expect.objectContaining({
        port: 80,
        protocol: "TCP",
        load_balancer_arn: expect.stringMatching(/^\$\{aws_lb\.[^.]+\.arn\}$/),
        default_action: [expect.objectContaining({ type: "forward", target_group_arn: expect.stringMatching(/^\$\{aws_lb_target_group\.[^.]+\.arn\}$/) })],
      }),
    );
  });

  test("proxy protocol v2 is on for the example's target group", () => {
    // GIVEN the example with proxyProtocolV2 true
    // WHEN the target group is read
    // THEN proxy_protocol_v2 is true
    expect(only(stack, "aws_lb_target_group").proxy_protocol_v2).toBe(true);
  });

  test("the demo instance is registered as the target", () => {
    // GIVEN the example with a demo instance as target
    // WHEN the target group attachments are read
    const attachment = only(stack, "aws_lb_target_group_attachment");
    // THEN the single attachment registers the instance in the target group on port 80
    expect(resources(stack, "aws_instance")).toHaveLength(1);
    expect(attachment).toEqual(
      expect.objectContaining({
        target_id: expect.stringMatching(/^\$\{aws_instance\.[^.]+\.id\}$/),
        target_group_arn: expect.stringMatching(/^\$\{aws_lb_target_group\.[^.]+\.arn\}$/),
        port: 80,
      }),
    );
  });

  test("the created VPC gets an Amazon-provided IPv6 block", () => {
    // GIVEN the example's network { create: { ipv4Cidr: 10.0.0.0/16 } }
    // WHEN the VPC is read
    // THEN it has the IPv4 CIDR and assign_generated_ipv6_cidr_block true
    expect(only(stack, "aws_vpc")).toEqual(expect.objectContaining({ cidr_block: "10.0.0.0/16", assign_generated_ipv6_cidr_block: true }));
  });

  test("each created subnet has an IPv6 block carved from the VPC's", () => {
    // GIVEN the example's two availability zones
    // WHEN the subnets are read
    const subnets = resources(stack, "aws_subnet");
    // THEN there is one per zone, each with an ipv6_cidr_block from the VPC's IPv6 block
    expect(subnets.map((s) => s.availability_zone).sort()).toEqual(["us-west-2a", "us-west-2b"]);
    for (const s of subnets) expect(s.ipv6_cidr_block).toMatch(/aws_vpc\.[^.]+\.ipv6_cidr_block/);
  });

  test("the endpoint service supports IPv4 and IPv6", () => {
    // GIVEN the example's supportedIpAddressTypes
    // WHEN the endpoint service is read
    // THEN supported_ip_address_types is ["ipv4", "ipv6"]
    expect(only(stack, "aws_vpc_endpoint_service").supported_ip_address_types).toEqual(["ipv4", "ipv6"]);
  });

  test("the endpoint service fronts the load balancer, requires acceptance and carries the private DNS name", () => {
    // GIVEN the example's endpoint service settings
    // WHEN the endpoint service is read
    // THEN it references the NLB and has acceptance_required true and private_dns_name api.example.com
    expect(only(stack, "aws_vpc_endpoint_service")).toEqual(
      expect.objectContaining({
        network_load_balancer_arns: [expect.stringMatching(/^\$\{aws_lb\.[^.]+\.arn\}$/)],
        acceptance_required: true,
        private_dns_name: "api.example.com",
      }),
    );
  });

  test("the allowed principal is its own resource on the endpoint service", () => {
    // GIVEN the example's allowedPrincipals ["arn:aws:iam::123456789012:root"]
    // WHEN the allowed principal resources are read
    // THEN there is one for that ARN, on the endpoint service
    expect(only(stack, "aws_vpc_endpoint_service_allowed_principal")).toEqual(
      expect.objectContaining({
        principal_arn: "arn:aws:iam::123456789012:root",
        vpc_endpoint_service_id: expect.stringMatching(/^\$\{aws_vpc_endpoint_service\.[^.]+\.id\}$/),
      }),
    );
  });

  test("the AWS provider has the service region and the default tags", () => {
    // GIVEN the example's region us-west-2 and tags
    // WHEN the AWS provider is read
    // THEN it has that region and default tags with the config name added
    expect(stack.provider.aws[0]).toEqual(
      expect.objectContaining({
        region: "us-west-2",
        default_tags: [{ tags: { team: "platform", purpose: "privatelink-demo", "privatelink:name": "demo" } }],
      }),
    );
  });

  test("the AWS provider assumes no role when none is configured", () => {
    // GIVEN the example without service.account.roleArn
    // WHEN the AWS provider is read
    // THEN it has no assume_role
    expect(stack.provider.aws[0].assume_role).toBeUndefined();
  });
});

describe("provider stack variations", () => {
  test("the AWS provider assumes the service account's role when roleArn is given", () => {
    // GIVEN the example with service.account.roleArn
    const c = exampleJson();
    c.service.account.roleArn = "arn:aws:iam::111111111111:role/deploy";
    // WHEN the provider stack is synthesized
    const stack = providerStack(c);
    // THEN its AWS provider assumes that role
    expect(stack.provider.aws[0].assume_role).toEqual([expect.objectContaining({ role_arn: "arn:aws:iam::111111111111:role/deploy" })]);
  });

  test("proxy protocol v2 is off by default", () => {
    // GIVEN the example without proxyProtocolV2
    const c = exampleJson();
    delete c.service.loadBalancer.proxyProtocolV2;
    // WHEN the provider stack is synthesized
    const stack = providerStack(c);
    // THEN the target group does not turn proxy protocol v2 on
    const tg = only(stack, "aws_lb_target_group");
    expect(tg.proxy_protocol_v2 ?? false).toBe(false);
  });

  test("an existing network is used as given, without creating a VPC", () => {
    // GIVEN the example with an existing provider VPC and subnets
    const c = exampleJson();
    c.service.network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] };
    // WHEN the provider stack is synthesized
    const stack = providerStack(c);
    // THEN no VPC or subnet is created and the load balancer uses the given subnets
    expect(resources(stack, "aws_vpc")).toHaveLength(0);
    expect(resources(stack, "aws_subnet")).toHaveLength(0);
    expect(only(stack, "aws_lb").subnets).toEqual(["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]);
  });

  test("configured target ids are registered when there is no demo instance", () => {
    // GIVEN the example with two instance ids as targets and no demo instance
    const c = exampleJson();
    c.service.loadBalancer.target = { type: "instance", port: 80, ipAddressType: "ipv4", ids: ["i-0123456789abcdef0", "i-0123456789abcdef1"] };
    // WHEN the provider stack is synthesized
    const stack = providerStack(c);
    // THEN no instance is launched and each id is attached to the target group
    expect(resources(stack, "aws_instance")).toHaveLength(0);
    expect(resources(stack, "aws_lb_target_group_attachment").map((a) => a.target_id).sort()).toEqual(["i-0123456789abcdef0", "i-0123456789abcdef1"]);
  });
});

describe("provider stack security defaults", () => {
  const sgKey = (stack: any, prefix: string) => Object.entries<any>(stack.resource.aws_security_group).find(([, g]) => g.name_prefix === prefix)![0];

  test("the NLB has its own security group and deletion protection; the demo target admits only that group", () => {
    const stack = providerStack(exampleJson());
    const nlbGroup = sgKey(stack, "privatelink-nlb-");
    expect(only(stack, "aws_lb")).toMatchObject({ security_groups: [`\${aws_security_group.${nlbGroup}.id}`], enable_deletion_protection: true, enforce_security_group_inbound_rules_on_private_link_traffic: "off" });
    const demoGroup = sgKey(stack, "privatelink-demo-target-");
    const demoRules = resources(stack, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === `\${aws_security_group.${demoGroup}.id}`);
    expect(demoRules).toEqual([expect.objectContaining({ from_port: 80, referenced_security_group_id: `\${aws_security_group.${nlbGroup}.id}` })]);
    // and the NLB's group lets traffic out to the targets in the created VPC only
    expect(resources(stack, "aws_vpc_security_group_egress_rule")).toEqual([expect.objectContaining({ from_port: 80, cidr_ipv4: expect.stringMatching(/^\$\{aws_vpc\.[^.]+\.cidr_block\}$/) })]);
  });

  test("the sandbox turns deletion protection off by default, so it can destroy what it builds; an explicit value wins", () => {
    const json = exampleJson();
    json.sandbox = { endpoint: "http://127.0.0.1:4566" };
    expect(only(providerStack(json), "aws_lb").enable_deletion_protection).toBe(false);
    json.service.loadBalancer.deletionProtection = true;
    expect(only(providerStack(json), "aws_lb").enable_deletion_protection).toBe(true);
  });

  test("withoutSecurityGroup: no group on the NLB, and the demo target falls back to the VPC's CIDRs", () => {
    const json = exampleJson();
    json.service.loadBalancer.withoutSecurityGroup = { reason: "created before 0.2" };
    const stack = providerStack(json);
    expect(only(stack, "aws_lb")).not.toHaveProperty("security_groups");
    expect(resources(stack, "aws_vpc_security_group_ingress_rule").map((r) => r.cidr_ipv4 ?? r.cidr_ipv6)).toEqual([
      expect.stringMatching(/aws_vpc\.[^.]+\.cidr_block/),
      expect.stringMatching(/aws_vpc\.[^.]+\.ipv6_cidr_block/),
    ]);
  });

  test("direct clients of the NLB are admitted on the listener ports", () => {
    const json = exampleJson();
    json.service.loadBalancer.allowDirectFrom = { ipv4Cidrs: ["10.0.0.0/16"] };
    const stack = providerStack(json);
    const nlbGroup = sgKey(stack, "privatelink-nlb-");
    expect(resources(stack, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id.includes(nlbGroup))).toEqual([expect.objectContaining({ from_port: 80, cidr_ipv4: "10.0.0.0/16" })]);
  });

  test("created VPCs lock their default security group and write flow logs when asked", () => {
    const stack = providerStack(exampleJson());
    expect(resources(stack, "aws_default_security_group")).toHaveLength(1);
    expect(resources(stack, "aws_flow_log")).toEqual([expect.objectContaining({ log_destination_type: "cloud-watch-logs", traffic_type: "ALL" })]);
  });
});
