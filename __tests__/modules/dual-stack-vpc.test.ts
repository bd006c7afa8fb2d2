import { Testing } from "cdktf";
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
    expect(trust).toContain(`"aws:SourceAccount" = element(split(":", aws_vpc.${vpcKey}.arn), 4)`);
    expect(trust).toContain(`"aws:SourceArn" = join(":", concat(slice(split(":", aws_vpc.${vpcKey}.arn), 0, 5), ["vpc-flow-log/*"]))`);
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
