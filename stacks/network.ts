import { Construct } from "constructs";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DualStackVpc } from "../modules/dual-stack-vpc";
import type { NetworkConfig } from "./config";

/** A stack's network: an existing VPC and subnets, or a new dual-stack VPC. */
export interface StackNetwork {
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly ipv4Cidr: string;
  readonly ipv6Cidr: string;
}

export function stackNetwork(scope: Construct, network: NetworkConfig, name: string): StackNetwork {
  if (network.create) {
    const vpc = new DualStackVpc(scope, "Network", { ...network.create, name });
    return { vpcId: vpc.vpcId, subnetIds: vpc.subnetIds, ipv4Cidr: vpc.ipv4Cidr, ipv6Cidr: vpc.ipv6Cidr };
  }
  // The preflight checks guarantee vpcId and subnetIds when nothing is created.
  const vpc = new DataAwsVpc(scope, "Network", { id: network.vpcId });
  return { vpcId: network.vpcId ?? vpc.id, subnetIds: network.subnetIds ?? [], ipv4Cidr: vpc.cidrBlock, ipv6Cidr: vpc.ipv6CidrBlock };
}
