import { Fn } from "cdktf";
import { Construct } from "constructs";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IPV4_CIDR_FORMAT, Problems, REGION_FORMAT, ZONE_ID_PREFIXES, duplicates, isArn, isCidr, isNetworkCidr, isRegion, isToken, networkCidr, parseZone, zoneFormat } from "./validation";

/** Where a VPC's flow log records go. */
export enum FlowLogDestination {
  /** A CloudWatch Logs group the construct creates, with the role that writes to it. */
  CLOUDWATCH_LOGS = "cloud-watch-logs",
  /** An existing S3 bucket (bucketArn). */
  S3 = "s3",
}

/** Which traffic a flow log records. */
export enum FlowLogTrafficType {
  ALL = "ALL",
  ACCEPT = "ACCEPT",
  REJECT = "REJECT",
}

/** Flow logs of a VPC. */
export interface VpcFlowLogs {
  /** Where the records go. */
  readonly destination: FlowLogDestination;
  /** S3 only: the bucket's ARN, optionally with a key prefix (arn:aws:s3:::bucket/prefix). @default - none */
  readonly bucketArn?: string;
  /** CloudWatch Logs only: days to keep the records. @default 365 */
  readonly retentionDays?: number;
  /** Which traffic to record. @default FlowLogTrafficType.ALL */
  readonly trafficType?: FlowLogTrafficType;
}

export interface DualStackVpcProps {
  /** IPv4 CIDR of the VPC, a /16 to a /24. */
  readonly ipv4Cidr: string;
  /**
   * One subnet per zone, each with an IPv4 block and an IPv6 /64 from the VPC's Amazon-provided /56.
   * Zone names (us-west-2a) or zone ids (usw2-az1), not both: an id is the same physical zone in
   * every account, a name may not be.
   */
  readonly availabilityZones: string[];
  /** The region of the VPC: the zones are checked against it at synth. @default - the zones are only checked to be of one region */
  readonly region?: string;
  /** Attach an internet gateway with default IPv4 and IPv6 routes. @default false */
  readonly internetGateway?: boolean;
  /** Record the VPC's traffic in flow logs. @default - to CloudWatch Logs, kept 365 days (unless withoutFlowLogs) */
  readonly flowLogs?: VpcFlowLogs;
  /**
   * No flow logs at all: a VPC whose traffic nobody can trace afterwards. Say why where the
   * decision is recorded (the app's config takes a reason). @default false
   */
  readonly withoutFlowLogs?: boolean;
  /** Name tag prefix. @default - the construct path */
  readonly name?: string;
  /** Tags for the VPC, its subnets, route table and internet gateway. @default - no tags beyond the provider's default tags */
  readonly tags?: Record<string, string>;
}

/**
 * A new dual-stack VPC: the IPv4 block given, an Amazon-provided IPv6 /56, DNS support and
 * hostnames on (interface endpoints with private DNS need both), one subnet per zone and a
 * route table. No route to the internet unless asked for.
 */
export class DualStackVpc extends Construct {
  /** The aws_vpc resource. */
  readonly vpc: Vpc;
  /** VPC id, vpc-... (the aws_vpc id attribute). */
  readonly vpcId: string;
  /** IPv4 CIDR of the VPC (its cidr_block attribute). */
  readonly ipv4Cidr: string;
  /** Amazon-provided IPv6 /56 of the VPC (its ipv6_cidr_block attribute). */
  readonly ipv6Cidr: string;
  /** The aws_subnet resources, one per Availability Zone, in the order given. */
  readonly subnets: Subnet[];
  /** Ids of the subnets, subnet-..., in the order of availabilityZones. */
  readonly subnetIds: string[];
  /** Availability Zone names of the subnets: as given, or the subnets' availability_zone attributes when ids were given. */
  readonly availabilityZones: string[];
  /** Availability Zone ids of the subnets: as given, or the subnets' availability_zone_id attributes when names were given. */
  readonly availabilityZoneIds: string[];
  /** The aws_route_table resource, associated with every subnet. */
  readonly routeTable: RouteTable;
  /** The aws_default_security_group resource: the VPC's default group, with every rule removed. */
  readonly defaultSecurityGroup: DefaultSecurityGroup;
  /** The aws_flow_log resource; absent with withoutFlowLogs. */
  readonly flowLog?: FlowLog;

  constructor(scope: Construct, id: string, props: DualStackVpcProps) {
    super(scope, id);
    const p = new Problems();
    checkDualStackVpcProps(props, p);
    p.throwIfAny("DualStackVpc", this);

    const name = props.name ?? this.node.path;
    this.vpc = new Vpc(this, "Vpc", {
      cidrBlock: props.ipv4Cidr,
      assignGeneratedIpv6CidrBlock: true,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { ...props.tags, Name: name },
    });
    this.vpcId = this.vpc.id;
    // AWS's default group admits all traffic between its members and all egress; anything that
    // lands in it by mistake (an endpoint created without a group) gets nothing.
    this.defaultSecurityGroup = new DefaultSecurityGroup(this, "DefaultSecurityGroup", { vpcId: this.vpcId, tags: { ...props.tags, Name: `${name}-default-locked` } });
    if (!props.withoutFlowLogs) this.flowLog = this.createFlowLog(props.flowLogs ?? { destination: FlowLogDestination.CLOUDWATCH_LOGS }, name, props.tags);
    this.ipv4Cidr = this.vpc.cidrBlock;
    this.ipv6Cidr = this.vpc.ipv6CidrBlock;
    this.routeTable = new RouteTable(this, "RouteTable", { vpcId: this.vpcId, tags: { ...props.tags, Name: name } });
    // Each attribute read makes a new token (and reference): read once, used wherever needed.
    const routeTableId = this.routeTable.id;
    const byId = props.availabilityZones.some((az) => parseZone(az)?.kind === "id");
    const subnetIds: string[] = [];
    this.subnets = props.availabilityZones.map((az, i) => {
      const subnet = new Subnet(this, `Subnet-${az}`, {
        vpcId: this.vpcId,
        // AWS refuses a zone id in availability_zone: each form has its own attribute.
        availabilityZone: byId ? undefined : az,
        availabilityZoneId: byId ? az : undefined,
        // 4 more bits: 16 subnets of a /20 in a /16, of a /28 in a /24.
        cidrBlock: Fn.cidrsubnet(props.ipv4Cidr, 4, i),
        ipv6CidrBlock: Fn.cidrsubnet(this.ipv6Cidr, 8, i),
        assignIpv6AddressOnCreation: true,
        tags: { ...props.tags, Name: `${name}-${az}` },
      });
      subnetIds.push(subnet.id);
      new RouteTableAssociation(this, `RouteTableAssociation-${az}`, { subnetId: subnetIds[i], routeTableId });
      return subnet;
    });
    this.subnetIds = subnetIds;
    this.availabilityZones = byId ? this.subnets.map((s) => s.availabilityZone) : [...props.availabilityZones];
    this.availabilityZoneIds = byId ? [...props.availabilityZones] : this.subnets.map((s) => s.availabilityZoneId);
    if (props.internetGateway) {
      const igw = new InternetGateway(this, "InternetGateway", { vpcId: this.vpcId, tags: { ...props.tags, Name: name } });
      new Route(this, "DefaultRouteIpv4", { routeTableId, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
      new Route(this, "DefaultRouteIpv6", { routeTableId, destinationIpv6CidrBlock: "::/0", gatewayId: igw.id });
    }
  }

  private createFlowLog(flowLogs: VpcFlowLogs, name: string, tags?: Record<string, string>): FlowLog {
    const trafficType = flowLogs.trafficType ?? FlowLogTrafficType.ALL;
    if (flowLogs.destination === FlowLogDestination.S3) {
      return new FlowLog(this, "FlowLog", { vpcId: this.vpcId, trafficType, logDestinationType: "s3", logDestination: flowLogs.bucketArn, tags });
    }
    const group = new CloudwatchLogGroup(this, "FlowLogGroup", { namePrefix: `privatelink/flow-logs/${name}-`, retentionInDays: flowLogs.retentionDays ?? 365, tags });
    const groupArn = group.arn;
    const role = new IamRole(this, "FlowLogRole", {
      namePrefix: "privatelink-flow-logs-",
      // Only flow logs of this account and region may use the role (AWS's advice against the
      // confused deputy): the VPC's owner is the account, and its ARN gives partition and region.
      assumeRolePolicy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": this.vpc.ownerId },
              ArnLike: { "aws:SourceArn": Fn.replace(this.vpc.arn, "/:vpc/vpc-[0-9a-f]+$/", ":vpc-flow-log/*") },
            },
          },
        ],
      }),
      tags,
    });
    new IamRolePolicy(this, "FlowLogRolePolicy", {
      role: role.id,
      // Only this log group: the role writes the VPC's records and nothing else.
      policy: Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: FLOW_LOG_WRITER_ACTIONS, Resource: [groupArn, `${groupArn}:*`] }] }),
    });
    return new FlowLog(this, "FlowLog", { vpcId: this.vpcId, trafficType, logDestinationType: "cloud-watch-logs", logDestination: groupArn, iamRoleArn: role.arn, tags });
  }
}

/** The retention periods CloudWatch Logs accepts, in days. */
export const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const FLOW_LOG_WRITER_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"];

/** Each zone a name or an id of one region (`region` when given), names and ids not mixed, each once. */
function checkZones(p: Problems, zones: readonly string[], region: string | undefined): void {
  const parsed = zones.map((az) => (isToken(az) ? undefined : parseZone(az)));
  const firstAt = parsed.findIndex((z) => z !== undefined);
  const expected = region ?? parsed[firstAt]?.region;
  zones.forEach((az, i) => {
    const zone = parsed[i];
    if (isToken(az)) return;
    if (zone === undefined) {
      const id = typeof az === "string" ? /^([a-z]+\d{1,2})-az\d+$/.exec(az) : null;
      const known = id ? `; ${id[1]} is no region's zone-id prefix (known: ${Object.values(ZONE_ID_PREFIXES).join(", ")})` : "";
      p.add(`availabilityZones[${i}]`, az, `${zoneFormat(region)}${known}`);
    } else if (expected !== undefined && zone.region !== expected) {
      p.add(`availabilityZones[${i}]`, az, region !== undefined ? zoneFormat(region) : `${zoneFormat(expected)}, the region of availabilityZones[${firstAt}]: a VPC's subnets are in one region`);
    }
  });
  if (new Set(parsed.filter((z) => z !== undefined).map((z) => z.kind)).size > 1) {
    const example = expected !== undefined && ZONE_ID_PREFIXES[expected] ? expected : "us-west-2";
    p.add("availabilityZones", zones, `zone names only (such as ${example}a) or zone ids only (such as ${ZONE_ID_PREFIXES[example]}-az1), not both: a name and an id may be the same zone`);
  }
  for (const d of duplicates(zones)) p.add("availabilityZones", d, "each zone once");
}

/** Checks DualStackVpc props without building anything; problems go to `p`. */
export function checkDualStackVpcProps(props: DualStackVpcProps, p: Problems): void {
  const prefix = isCidr(props.ipv4Cidr, "ipv4") ? Number(props.ipv4Cidr.split("/")[1]) : NaN;
  p.check(prefix >= 16 && prefix <= 24, "ipv4Cidr", props.ipv4Cidr, `${IPV4_CIDR_FORMAT}, with a prefix from /16 to /24`);
  p.check(!(prefix >= 16 && prefix <= 24) || isNetworkCidr(props.ipv4Cidr), "ipv4Cidr", props.ipv4Cidr, `the network address of the block, ${networkCidr(props.ipv4Cidr)}`);
  p.check(Array.isArray(props.availabilityZones) && props.availabilityZones.length > 0 && props.availabilityZones.length <= 16, "availabilityZones", props.availabilityZones, "1 to 16 Availability Zone names (such as us-west-2a) or zone ids (such as usw2-az1)");
  p.check(props.region === undefined || isRegion(props.region), "region", props.region, REGION_FORMAT);
  checkZones(p, props.availabilityZones ?? [], props.region !== undefined && isRegion(props.region) ? props.region : undefined);
  const logs = props.flowLogs;
  p.check(!(props.withoutFlowLogs && logs), "flowLogs", logs, "no flowLogs with withoutFlowLogs: a VPC cannot both record flow logs and go without");
  if (logs) {
    p.check(Object.values(FlowLogDestination).includes(logs.destination), "flowLogs.destination", logs.destination, `one of ${Object.values(FlowLogDestination).join(", ")}`);
    if (logs.destination === FlowLogDestination.S3) {
      p.check(isArn(logs.bucketArn, "s3"), "flowLogs.bucketArn", logs.bucketArn, "an S3 bucket ARN such as arn:aws:s3:::my-flow-logs (optionally /prefix) for S3 flow logs");
      p.check(logs.retentionDays === undefined, "flowLogs.retentionDays", logs.retentionDays, "no retention: the S3 bucket's lifecycle rules keep the records");
    } else {
      p.check(logs.bucketArn === undefined, "flowLogs.bucketArn", logs.bucketArn, 'no bucket: only the "s3" destination takes one');
      p.check(logs.retentionDays === undefined || CLOUDWATCH_RETENTION_DAYS.includes(logs.retentionDays), "flowLogs.retentionDays", logs.retentionDays, `one of CloudWatch Logs' retention periods: ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`);
    }
    p.check(logs.trafficType === undefined || Object.values(FlowLogTrafficType).includes(logs.trafficType), "flowLogs.trafficType", logs.trafficType, `one of ${Object.values(FlowLogTrafficType).join(", ")}`);
  }
}
