/** Stage 3, the consumer-<name> stacks: interface endpoint and its least-privilege security group. */
import { exampleJson, synthConfig } from "../support/synth";

const synth = synthConfig;

const resources = (stack: any, type: string): any[] => Object.values(stack.resource?.[type] ?? {});
const endpointOf = (stack: any): any => {
  const endpoints = resources(stack, "aws_vpc_endpoint");
  expect(endpoints).toHaveLength(1);
  return endpoints[0];
};

const SERVICE_NAME = "${data.terraform_remote_state.provider.outputs.service_name}";
const CONTRACT_OUTPUTS = ["endpoint_id", "dns_names", "zonal_dns_names", "network_interface_ids", "security_group_id", "ip_address_type"];

describe("consumer stacks of the built-in example", () => {
  let app: any;
  let reports: any;
  beforeAll(() => {
    const r = synth(exampleJson());
    app = r.stacks["consumer-app"];
    reports = r.stacks["consumer-reports"];
  });

  test("reads the provider stack's local remote state", () => {
    // GIVEN the example with local state in terraform-state
    // WHEN consumer-app's remote-state data source is read
    // THEN it reads provider.tfstate through a relative path
    expect(app.data.terraform_remote_state.provider).toMatchObject({ backend: "local", config: { path: "../../../terraform-state/provider.tfstate" } });
  });

  test("the endpoint's service_name comes from the provider's remote state", () => {
    // GIVEN the synthesized consumer-app stack
    // WHEN its endpoint is read
    // THEN service_name references the provider's service_name output
    expect(endpointOf(app).service_name).toBe(SERVICE_NAME);
  });

  test("has every contract output, under its exact name, with a value", () => {
    // GIVEN the synthesized consumer-app stack
    // WHEN its outputs are listed
    // THEN each contract name is there with a value
    expect(Object.keys(app.output)).toEqual(expect.arrayContaining(CONTRACT_OUTPUTS));
    for (const name of CONTRACT_OUTPUTS) expect({ name, value: app.output[name].value }).toEqual({ name, value: expect.anything() });
  });

  test("no output snapshots the endpoint's state, which changes after apply (pendingAcceptance -> available)", () => {
    // GIVEN the synthesized consumer stacks
    // WHEN their outputs are read
    // THEN none refers to the endpoint's state: a later plan of a healthy system would show it changed
    for (const stack of [app, reports]) {
      expect(Object.keys(stack.output)).not.toContain("endpoint_state");
      for (const [name, o] of Object.entries<any>(stack.output)) expect({ name, value: JSON.stringify(o.value) }).toEqual({ name, value: expect.not.stringMatching(/\.state\b/) });
    }
  });

  test.each([
    ["endpoint_id", /^\$\{aws_vpc_endpoint\.[^.]+\.id\}$/],
    ["dns_names", /aws_vpc_endpoint\.[^.]+\.dns_entry/],
    ["zonal_dns_names", /aws_vpc_endpoint\.[^.]+\.dns_entry/],
    ["network_interface_ids", /aws_vpc_endpoint\.[^.]+\.network_interface_ids/],
    ["security_group_id", /^\$\{aws_security_group\.[^.]+\.id\}$/],
  ])("output %s refers to the endpoint or its security group", (name, reference) => {
    // GIVEN the synthesized consumer-app stack
    // WHEN the output is read
    // THEN it references the matching attribute
    expect(app.output[name].value).toMatch(reference);
  });

  test("the endpoint is a dual-stack interface endpoint with dual-stack DNS records", () => {
    // GIVEN consumer "app" with ipAddressType and dnsRecordIpType dualstack
    // WHEN its endpoint is read
    // THEN it is an Interface endpoint with ip_address_type and dns_record_ip_type dualstack
    expect(endpointOf(app)).toEqual(
      expect.objectContaining({ vpc_endpoint_type: "Interface", ip_address_type: "dualstack", dns_options: expect.objectContaining({ dns_record_ip_type: "dualstack" }) }),
    );
    expect(app.output.ip_address_type.value).toBe("dualstack");
  });

  test("private DNS is off at creation when acceptance is required", () => {
    // GIVEN the example (acceptance required) and consumer "app" asking for private DNS
    // WHEN its endpoint is read
    // THEN private_dns_enabled is false (stage 5 turns it on)
    expect(endpointOf(app).private_dns_enabled).toBe(false);
  });

  test("the endpoint sits in one created subnet per zone, behind its own security group", () => {
    // GIVEN consumer "app" creating a network in two zones
    // WHEN its endpoint is read
    const endpoint = endpointOf(app);
    // THEN it uses both subnets of the stack and the stack's security group
    expect(endpoint.subnet_ids).toHaveLength(2);
    for (const s of endpoint.subnet_ids) expect(s).toMatch(/^\$\{aws_subnet\.[^.]+\.id\}$/);
    expect(endpoint.security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\.[^.]+\.id\}$/)]);
  });

  test("the security group lets the allowed CIDR in on the listener port", () => {
    // GIVEN consumer "app" allowing 10.1.0.0/16 and the example's listener TCP 80
    // WHEN its ingress rules are read
    // THEN the only rule is TCP 80 from 10.1.0.0/16
    expect(resources(app, "aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({ cidr_ipv4: "10.1.0.0/16", ip_protocol: "tcp", from_port: 80, to_port: 80 }),
    ]);
  });

  test("the security group has no outbound rule", () => {
    // GIVEN the synthesized consumer-app stack
    // WHEN egress rules are looked for
    // THEN there are none, neither as resources nor inline
    expect(resources(app, "aws_vpc_security_group_egress_rule")).toHaveLength(0);
    for (const sg of resources(app, "aws_security_group")) expect(sg.egress ?? []).toEqual([]);
  });

  test("an IPv4-only consumer gets ip_address_type ipv4", () => {
    // GIVEN consumer "reports" with ipAddressType ipv4
    // WHEN its endpoint and output are read
    // THEN both say ipv4, and its DNS records are ipv4
    expect(endpointOf(reports)).toEqual(expect.objectContaining({ ip_address_type: "ipv4", dns_options: expect.objectContaining({ dns_record_ip_type: "ipv4" }) }));
    expect(reports.output.ip_address_type.value).toBe("ipv4");
  });

  test("the AWS provider is in the consumer's region with the default tags", () => {
    // GIVEN consumer "app" in us-west-2
    // WHEN the AWS provider is read
    // THEN it has that region and the default tags
    expect(app.provider.aws[0]).toEqual(
      expect.objectContaining({ region: "us-west-2", default_tags: [{ tags: expect.objectContaining({ "privatelink:name": "demo" }) }] }),
    );
  });
});

describe("consumer stack variations", () => {
  test("ingress rules open the listener ports only, not the target port", () => {
    // GIVEN listeners on TCP 80 and 443, targets on port 8080, and a consumer allowing a CIDR, an IPv6 CIDR and a security group
    const c = exampleJson();
    c.service.loadBalancer.listeners = [{ port: 80, protocol: "TCP" }, { port: 443, protocol: "TCP" }];
    c.service.loadBalancer.target.port = 8080;
    c.consumers[0].allowFrom = { securityGroupIds: ["sg-0123456789abcdef0"], ipv4Cidrs: ["10.1.0.0/16"], ipv6Cidrs: ["2600:1f14::/56"] };
    // WHEN consumer-app is synthesized
    const rules = resources(synth(c).stacks["consumer-app"], "aws_vpc_security_group_ingress_rule");
    // THEN every rule is for port 80 or 443 (single port), and each source gets both ports
    expect(rules.map((r) => `${r.from_port}-${r.to_port}`).sort()).toEqual(["443-443", "443-443", "443-443", "80-80", "80-80", "80-80"]);
    const sources = rules.map((r) => `${r.from_port} ${r.cidr_ipv4 ?? r.cidr_ipv6 ?? r.referenced_security_group_id}`).sort();
    expect(sources).toEqual(
      ["443 10.1.0.0/16", "443 2600:1f14::/56", "443 sg-0123456789abcdef0", "80 10.1.0.0/16", "80 2600:1f14::/56", "80 sg-0123456789abcdef0"].sort(),
    );
  });

  test("without acceptance, private DNS is enabled at creation", () => {
    // GIVEN the example with acceptanceRequired false
    const c = exampleJson();
    c.service.endpointService.acceptanceRequired = false;
    // WHEN consumer-app is synthesized
    // THEN its endpoint has private_dns_enabled true
    expect(endpointOf(synth(c).stacks["consumer-app"]).private_dns_enabled).toBe(true);
  });

  test("an existing network is used as given", () => {
    // GIVEN consumer "app" in an existing VPC and subnets
    const c = exampleJson();
    c.consumers[0].network = { vpcId: "vpc-0123456789abcdef1", subnetIds: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"] };
    // WHEN consumer-app is synthesized
    const stack = synth(c).stacks["consumer-app"];
    // THEN no VPC is created and the endpoint is in that VPC and those subnets
    expect(resources(stack, "aws_vpc")).toHaveLength(0);
    expect(endpointOf(stack)).toEqual(
      expect.objectContaining({ vpc_id: "vpc-0123456789abcdef1", subnet_ids: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"] }),
    );
  });

  test("the AWS provider assumes the consumer account's role when roleArn is given", () => {
    // GIVEN consumer "app" with account.roleArn
    const c = exampleJson();
    c.consumers[0].account.roleArn = "arn:aws:iam::222222222222:role/deploy";
    c.service.endpointService.allowedPrincipals.push("arn:aws:iam::222222222222:root");
    // WHEN consumer-app is synthesized
    // THEN its AWS provider assumes that role
    expect(synth(c).stacks["consumer-app"].provider.aws[0].assume_role).toEqual([expect.objectContaining({ role_arn: "arn:aws:iam::222222222222:role/deploy" })]);
  });
});

describe("zone ids in a created network", () => {
  test("subnets get availability_zone_id, and the endpoint's zone check looks for those ids", () => {
    // GIVEN consumer "app" creating its network in zones named by id
    const c = exampleJson();
    c.consumers[0].network.create.availabilityZones = ["usw2-az1", "usw2-az2"];
    // WHEN consumer-app is synthesized
    const stack = synth(c).stacks["consumer-app"];
    // THEN each subnet names its zone by id, never by name
    const subnets = resources(stack, "aws_subnet");
    expect(subnets.map((s) => s.availability_zone_id)).toEqual(["usw2-az1", "usw2-az2"]);
    for (const s of subnets) expect(s).not.toHaveProperty("availability_zone");
    // AND the endpoint's preconditions compare those ids with the service's zone ids
    const conditions = endpointOf(stack).lifecycle.precondition.map((p: any) => p.condition);
    expect(conditions).toEqual([expect.stringMatching(/^\$\{contains\(\[for n in data\.aws_vpc_endpoint_service\.[^ ]+\.availability_zones : lookup\(zipmap\(data\.aws_availability_zones\.[^)]+\), n, n\)\], "usw2-az1"\)\}$/), expect.stringContaining('"usw2-az2")}')]);
  });

  test("a service in a region with a five-letter zone-id prefix takes its ids", () => {
    // GIVEN the whole example moved to ap-southeast-2, the provider's network by zone id
    const c = exampleJson();
    c.service.account.region = "ap-southeast-2";
    c.service.network.create.availabilityZones = ["apse2-az1", "apse2-az3"];
    for (const consumer of c.consumers) {
      consumer.account.region = "ap-southeast-2";
      consumer.network.create.availabilityZones = ["ap-southeast-2a"];
    }
    // WHEN synthesized / THEN the provider's subnets are in those zones, by id
    const r = synth(c);
    expect(resources(r.stacks.provider, "aws_subnet").map((s) => s.availability_zone_id)).toEqual(["apse2-az1", "apse2-az3"]);
    expect(resources(r.stacks["consumer-app"], "aws_subnet").map((s) => s.availability_zone)).toEqual(["ap-southeast-2a"]);
  });
});
