import { TerraformOutput, Testing } from "cdktf";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { DualStackVpc, DualStackVpcProps, FlowLogDestination, FlowLogTrafficType } from "../../modules/dual-stack-vpc";

const base: DualStackVpcProps = { ipv4Cidr: "10.0.0.0/16", availabilityZones: ["us-west-2a", "us-west-2b"], name: "demo" };
const synth = (extra: Partial<DualStackVpcProps> = {}) =>
  Testing.synthScope((scope) => {
    new DualStackVpc(scope, "Net", { ...base, ...extra });
  });

describe("DualStackVpc", () => {
  test("asks for an Amazon-provided IPv6 block and turns on DNS support and hostnames", () => {
    // GIVEN / WHEN
    const out = synth();
    // THEN
    expect(out).toHaveResourceWithProperties(Vpc, { cidr_block: "10.0.0.0/16", assign_generated_ipv6_cidr_block: true, enable_dns_support: true, enable_dns_hostnames: true });
  });

  test("one subnet per zone with an IPv4 block and an IPv6 /64 carved from the VPC", () => {
    const out = synth();
    expect(out).toHaveResourceWithProperties(Subnet, { availability_zone: "us-west-2a", cidr_block: '${cidrsubnet("10.0.0.0/16", 4, 0)}', assign_ipv6_address_on_creation: true });
    expect(out).toHaveResourceWithProperties(Subnet, { availability_zone: "us-west-2b", cidr_block: '${cidrsubnet("10.0.0.0/16", 4, 1)}' });
    const subnets = Object.values<any>(JSON.parse(out).resource.aws_subnet);
    expect(subnets).toHaveLength(2);
    for (const s of subnets) expect(s.ipv6_cidr_block).toMatch(/^\$\{cidrsubnet\(aws_vpc\.[^.]+\.ipv6_cidr_block, 8, [01]\)\}$/);
    expect(Object.keys(JSON.parse(out).resource.aws_route_table_association)).toHaveLength(2);
    expect(out).toHaveResource(RouteTableAssociation);
  });

  test("no internet gateway or default route unless asked", () => {
    const out = synth();
    expect(out).not.toHaveResource(InternetGateway);
    expect(out).not.toHaveResource(Route);
  });

  test("internetGateway adds the gateway and IPv4 and IPv6 default routes", () => {
    const out = synth({ internetGateway: true });
    expect(out).toHaveResource(InternetGateway);
    expect(out).toHaveResourceWithProperties(Route, { destination_cidr_block: "0.0.0.0/0" });
    expect(out).toHaveResourceWithProperties(Route, { destination_ipv6_cidr_block: "::/0" });
  });

  test("ipv4Cidr must be an IPv4 CIDR from /16 to /24", () => {
    expect(() => synth({ ipv4Cidr: "10.0.0.0/8" })).toThrow(/ipv4Cidr: received "10.0.0.0\/8"/);
    expect(() => synth({ ipv4Cidr: "2001:db8::/56" })).toThrow(/ipv4Cidr/);
  });

  test("availabilityZones must be listed, valid and unique", () => {
    expect(() => synth({ availabilityZones: [] })).toThrow(/availabilityZones: received \[\]/);
    expect(() => synth({ availabilityZones: ["west"] })).toThrow(/availabilityZones\[0\]/);
    expect(() => synth({ availabilityZones: ["us-west-2a", "us-west-2a"] })).toThrow(/availabilityZones: received "us-west-2a"; expected each zone once/);
  });
});

test("ipv4Cidr must be written with its network address", () => {
  expect(() => synth({ ipv4Cidr: "10.0.3.0/16" })).toThrow(/ipv4Cidr: received "10\.0\.3\.0\/16"; expected the network address of the block, 10\.0\.0\.0\/16/);
});

describe("DualStackVpc security defaults", () => {
  const json = (extra: Partial<DualStackVpcProps> = {}) => JSON.parse(synth(extra));

  test("locks the VPC's default security group: no ingress, no egress", () => {
    // GIVEN any VPC / WHEN synthesized
    const groups = Object.values<any>(json().resource.aws_default_security_group);
    // THEN the default group is managed with no rules (Terraform removes AWS's allow-all ones)
    expect(groups).toEqual([expect.objectContaining({ vpc_id: expect.stringMatching(/^\$\{aws_vpc\.[^.]+\.id\}$/) })]);
    expect(groups[0]).not.toHaveProperty("ingress");
    expect(groups[0]).not.toHaveProperty("egress");
  });

  test("records flow logs to CloudWatch Logs by default, kept 365 days", () => {
    const out = json();
    const [groupKey, group] = Object.entries<any>(out.resource.aws_cloudwatch_log_group)[0];
    expect(group).toMatchObject({ retention_in_days: 365 });
    expect(Object.values<any>(out.resource.aws_flow_log)).toEqual([expect.objectContaining({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs", log_destination: `\${aws_cloudwatch_log_group.${groupKey}.arn}` })]);
  });

  test("withoutFlowLogs: no flow log, no log group, no role", () => {
    const out = json({ withoutFlowLogs: true });
    expect(out.resource.aws_flow_log).toBeUndefined();
    expect(out.resource.aws_cloudwatch_log_group).toBeUndefined();
    expect(out.resource.aws_iam_role).toBeUndefined();
  });

  test("refuses flowLogs together with withoutFlowLogs", () => {
    expect(() => synth({ withoutFlowLogs: true, flowLogs: { destination: FlowLogDestination.CLOUDWATCH_LOGS } })).toThrow(/flowLogs: received .*; expected no flowLogs with withoutFlowLogs/);
  });

  test("flow logs to CloudWatch Logs: a log group, a role only VPC flow logs can assume, writing to that group only", () => {
    const out = json({ flowLogs: { destination: FlowLogDestination.CLOUDWATCH_LOGS, retentionDays: 90 } });
    const [groupKey, group] = Object.entries<any>(out.resource.aws_cloudwatch_log_group)[0];
    expect(group).toMatchObject({ name_prefix: "privatelink/flow-logs/demo-", retention_in_days: 90 });
    const role = Object.values<any>(out.resource.aws_iam_role)[0];
    // Only VPC flow logs, and only on behalf of this account and region (the VPC's ARN gives both).
    const [vpcKey] = Object.keys(out.resource.aws_vpc);
    const trust: string = role.assume_role_policy;
    expect(trust).toContain('"Principal" = {"Service" = "vpc-flow-logs.amazonaws.com"}, "Action" = "sts:AssumeRole"');
    expect(trust).toContain(`"aws:SourceAccount" = aws_vpc.${vpcKey}.owner_id`);
    expect(trust).toContain(`"aws:SourceArn" = replace(aws_vpc.${vpcKey}.arn, "/:vpc/vpc-[0-9a-f]+$/", ":vpc-flow-log/*")`);
    expect(trust).toMatch(/"StringEquals" = \{"aws:SourceAccount"/);
    expect(trust).toMatch(/"ArnLike" = \{"aws:SourceArn"/);
    const policy = Object.values<any>(out.resource.aws_iam_role_policy)[0].policy as string;
    expect(policy).toContain(`aws_cloudwatch_log_group.${groupKey}.arn`);
    expect(policy).toContain("logs:PutLogEvents");
    expect(policy).not.toMatch(/"Resource":\s*"\*"/);
    expect(Object.values<any>(out.resource.aws_flow_log)).toEqual([
      expect.objectContaining({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs", log_destination: `\${aws_cloudwatch_log_group.${groupKey}.arn}` }),
    ]);
  });

  test("flow logs to S3 go to the bucket, with no log group or role", () => {
    const out = json({ flowLogs: { destination: FlowLogDestination.S3, bucketArn: "arn:aws:s3:::flow-logs/vpc", trafficType: FlowLogTrafficType.REJECT } });
    expect(Object.values<any>(out.resource.aws_flow_log)).toEqual([expect.objectContaining({ log_destination_type: "s3", log_destination: "arn:aws:s3:::flow-logs/vpc", traffic_type: "REJECT" })]);
    expect(out.resource.aws_cloudwatch_log_group).toBeUndefined();
    expect(out.resource.aws_iam_role).toBeUndefined();
  });

  test.each([
    [{ destination: FlowLogDestination.S3 }, /flowLogs\.bucketArn: received nothing; expected an S3 bucket ARN/],
    [{ destination: FlowLogDestination.S3, bucketArn: "arn:aws:s3:::b", retentionDays: 30 }, /flowLogs\.retentionDays: received 30; expected no retention/],
    [{ destination: FlowLogDestination.CLOUDWATCH_LOGS, bucketArn: "arn:aws:s3:::b" }, /flowLogs\.bucketArn: received "arn:aws:s3:::b"; expected no bucket/],
    [{ destination: FlowLogDestination.CLOUDWATCH_LOGS, retentionDays: 10 }, /flowLogs\.retentionDays: received 10; expected one of CloudWatch Logs' retention periods/],
    [{ destination: "kinesis" as FlowLogDestination }, /flowLogs\.destination: received "kinesis"; expected one of cloud-watch-logs, s3/],
  ])("refuses flow logs %j", (flowLogs, message) => {
    expect(() => synth({ flowLogs })).toThrow(message);
  });
});

describe("DualStackVpc zone names and zone ids", () => {
  const json = (extra: Partial<DualStackVpcProps> = {}) => JSON.parse(synth(extra));
  const subnets = (out: any) => Object.values<any>(out.resource.aws_subnet);
  const thrown = (extra: Partial<DualStackVpcProps>): string => {
    try {
      synth(extra);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("no error was thrown");
  };

  test("zone ids go to availability_zone_id, never to availability_zone", () => {
    // GIVEN zone ids / WHEN synthesized
    const out = json({ availabilityZones: ["usw2-az1", "usw2-az3"], region: "us-west-2" });
    // THEN each subnet names its zone by id only
    expect(subnets(out)).toEqual([expect.objectContaining({ availability_zone_id: "usw2-az1" }), expect.objectContaining({ availability_zone_id: "usw2-az3" })]);
    for (const s of subnets(out)) expect(s).not.toHaveProperty("availability_zone");
    expect(Object.keys(out.resource.aws_subnet).every((k) => /usw2-az[13]/.test(k))).toBe(true);
  });

  test("zone names go to availability_zone, never to availability_zone_id", () => {
    for (const s of subnets(json())) {
      expect(s.availability_zone).toMatch(/^us-west-2[ab]$/);
      expect(s).not.toHaveProperty("availability_zone_id");
    }
  });

  test("the VPC exposes both forms: the given ones, and the subnets' attributes for the other", () => {
    // GIVEN one VPC by id and one by name, their zone fields as outputs
    const out = JSON.parse(
      Testing.synthScope((scope) => {
        const byId = new DualStackVpc(scope, "ById", { ...base, availabilityZones: ["apse2-az1"] });
        const byName = new DualStackVpc(scope, "ByName", base);
        new TerraformOutput(scope, "by_id_names", { value: byId.availabilityZones });
        new TerraformOutput(scope, "by_id_ids", { value: byId.availabilityZoneIds });
        new TerraformOutput(scope, "by_name_names", { value: byName.availabilityZones });
        new TerraformOutput(scope, "by_name_ids", { value: byName.availabilityZoneIds });
      }),
    );
    // THEN the given form is kept as written and the other is read from the subnets
    const [byIdSubnet, byNameSubnet] = ["ById", "ByName"].map((id) => Object.keys(out.resource.aws_subnet).find((k) => k.startsWith(`${id}_`)));
    expect(out.output.by_id_ids.value).toEqual(["apse2-az1"]);
    expect(out.output.by_id_names.value).toEqual([`\${aws_subnet.${byIdSubnet}.availability_zone}`]);
    expect(out.output.by_name_names.value).toEqual(["us-west-2a", "us-west-2b"]);
    expect(out.output.by_name_ids.value[0]).toBe(`\${aws_subnet.${byNameSubnet}.availability_zone_id}`);
  });

  test.each([
    ["ap-southeast-2", ["apse2-az1", "apse2-az3"]],
    ["cn-northwest-1", ["cnnw1-az1", "cnnw1-az2"]],
    ["us-gov-west-1", ["usgw1-az1", "usgw1-az2"]],
    ["ap-southeast-7", ["apse7-az1"]],
    ["mx-central-1", ["mxc1-az2"]],
    ["il-central-1", ["ilc1-az3"]],
    ["ap-east-2", ["ape2-az1"]],
  ])("accepts the zone ids of %s, five-letter prefixes too", (region, availabilityZones) => {
    expect(() => synth({ region, availabilityZones })).not.toThrow();
  });

  test("a region missing from the zone-id table still takes zone names", () => {
    expect(() => synth({ region: "ap-southeast-9", availabilityZones: ["ap-southeast-9a"] })).not.toThrow();
    expect(thrown({ region: "ap-southeast-9", availabilityZones: ["apse9-az1"] })).toContain(
      'availabilityZones[0]: received "apse9-az1"; expected a zone of region ap-southeast-9: a name such as ap-southeast-9a (the zone ids of ap-southeast-9 are not known to this version: use names); apse9 is no region\'s zone-id prefix (known: use1, ',
    );
  });

  test("a zone of another region than the VPC's is refused, with the construct path", () => {
    // GIVEN an eu-west-1 VPC with a us-east-1 zone id
    const message = thrown({ region: "eu-west-1", availabilityZones: ["euw1-az2", "use1-az1"] });
    // THEN the path in the tree and the zone's index are named, with what is valid
    expect(message).toBe(
      'Invalid props for DualStackVpc at stack/Net:\n  - availabilityZones[1]: received "use1-az1"; expected a zone of region eu-west-1: a name such as eu-west-1a, or a zone id such as euw1-az1',
    );
  });

  test("without a region, the zones must share the first one's region", () => {
    expect(thrown({ availabilityZones: ["us-west-2a", "us-east-1b"] })).toContain(
      'availabilityZones[1]: received "us-east-1b"; expected a zone of region us-west-2: a name such as us-west-2a, or a zone id such as usw2-az1, the region of availabilityZones[0]: a VPC\'s subnets are in one region',
    );
  });

  test("names and ids are not mixed in one list", () => {
    expect(thrown({ region: "us-west-2", availabilityZones: ["us-west-2a", "usw2-az1"] })).toBe(
      'Invalid props for DualStackVpc at stack/Net:\n  - availabilityZones: received ["us-west-2a","usw2-az1"]; expected zone names only (such as us-west-2a) or zone ids only (such as usw2-az1), not both: a name and an id may be the same zone',
    );
  });

  test("an invalid region prop is reported as such", () => {
    expect(thrown({ region: "mars-1", availabilityZones: ["us-west-2a"] })).toContain('region: received "mars-1"; expected an AWS region code such as us-west-2');
  });

  test("the old pattern's gaps: a zone id of an unknown prefix is refused, naming the prefixes", () => {
    expect(thrown({ availabilityZones: ["abc1-az1"] })).toMatch(/availabilityZones\[0\]: received "abc1-az1"; expected an Availability Zone name such as us-west-2a, or a zone id such as usw2-az1; abc1 is no region's zone-id prefix \(known: use1, use2, .*apse2.*cnnw1.*usgw1\)$/);
  });
});
