import { Fn } from "cdktf";
import { Construct } from "constructs";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { IPV4_CIDR_FORMAT, Problems, duplicates, isCidr, isNetworkCidr, networkCidr } from "./validation";

export interface DualStackVpcProps {
  /** IPv4 CIDR of the VPC, a /16 to a /24. */
  readonly ipv4Cidr: string;
  /** One subnet per zone, each with an IPv4 block and an IPv6 /64 from the VPC's Amazon-provided /56. */
  readonly availabilityZones: string[];
  /** Attach an internet gateway with default IPv4 and IPv6 routes. @default false */
  readonly internetGateway?: boolean;
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
  /** Availability Zones of the subnets, as given. */
  readonly availabilityZones: string[];
  /** The aws_route_table resource, associated with every subnet. */
  readonly routeTable: RouteTable;

  constructor(scope: Construct, id: string, props: DualStackVpcProps) {
    super(scope, id);
    const p = new Problems();
    checkDualStackVpcProps(props, p);
    p.throwIfAny("DualStackVpc");

    const name = props.name ?? this.node.path;
    this.vpc = new Vpc(this, "Vpc", {
      cidrBlock: props.ipv4Cidr,
      assignGeneratedIpv6CidrBlock: true,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { ...props.tags, Name: name },
    });
    this.vpcId = this.vpc.id;
    this.ipv4Cidr = this.vpc.cidrBlock;
    this.ipv6Cidr = this.vpc.ipv6CidrBlock;
    this.availabilityZones = [...props.availabilityZones];
    this.routeTable = new RouteTable(this, "RouteTable", { vpcId: this.vpc.id, tags: { ...props.tags, Name: name } });
    this.subnets = props.availabilityZones.map((az, i) => {
      const subnet = new Subnet(this, `Subnet-${az}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        // 4 more bits: 16 subnets of a /20 in a /16, of a /28 in a /24.
        cidrBlock: Fn.cidrsubnet(props.ipv4Cidr, 4, i),
        ipv6CidrBlock: Fn.cidrsubnet(this.vpc.ipv6CidrBlock, 8, i),
        assignIpv6AddressOnCreation: true,
        tags: { ...props.tags, Name: `${name}-${az}` },
      });
      new RouteTableAssociation(this, `RouteTableAssociation-${az}`, { subnetId: subnet.id, routeTableId: this.routeTable.id });
      return subnet;
    });
    this.subnetIds = this.subnets.map((s) => s.id);
    if (props.internetGateway) {
      const igw = new InternetGateway(this, "InternetGateway", { vpcId: this.vpc.id, tags: { ...props.tags, Name: name } });
      new Route(this, "DefaultRouteIpv4", { routeTableId: this.routeTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
      new Route(this, "DefaultRouteIpv6", { routeTableId: this.routeTable.id, destinationIpv6CidrBlock: "::/0", gatewayId: igw.id });
    }
  }
}

/** Checks DualStackVpc props without building anything; problems go to `p`. */
export function checkDualStackVpcProps(props: DualStackVpcProps, p: Problems): void {
  const prefix = isCidr(props.ipv4Cidr, "ipv4") ? Number(props.ipv4Cidr.split("/")[1]) : NaN;
  p.check(prefix >= 16 && prefix <= 24, "ipv4Cidr", props.ipv4Cidr, `${IPV4_CIDR_FORMAT}, with a prefix from /16 to /24`);
  p.check(!(prefix >= 16 && prefix <= 24) || isNetworkCidr(props.ipv4Cidr), "ipv4Cidr", props.ipv4Cidr, `the network address of the block, ${networkCidr(props.ipv4Cidr)}`);
  p.check(Array.isArray(props.availabilityZones) && props.availabilityZones.length > 0 && props.availabilityZones.length <= 16, "availabilityZones", props.availabilityZones, "1 to 16 Availability Zone names, such as us-west-2a");
  (props.availabilityZones ?? []).forEach((az, i) => p.check(/^[a-z]{2}(-gov)?-[a-z]+-\d+[a-z]$/.test(az) || /^[a-z]{3}\d-az\d+$/.test(az), `availabilityZones[${i}]`, az, "an Availability Zone name such as us-west-2a"));
  for (const d of duplicates(props.availabilityZones ?? [])) p.add("availabilityZones", d, "each zone once");
}
