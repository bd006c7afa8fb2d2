import { Construct } from "constructs";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DualStackVpc } from "../modules/dual-stack-vpc";
import type { NetworkConfig } from "../config/schema";
import { fromConfig } from "./config-origin";
import { createdNetworkProps } from "../config/to-props";

/** A stack's network: an existing VPC and subnets, or a new dual-stack VPC. */
export interface StackNetwork {
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly ipv4Cidr: string;
  readonly ipv6Cidr: string;
}

/** `at` is the network section's config path, which findings on its resources name. */
export function stackNetwork(scope: Construct, network: NetworkConfig, region: string, name: string, at: string): StackNetwork {
  if (network.create) {
    const vpc = fromConfig(new DualStackVpc(scope, "Network", createdNetworkProps(network.create, name, region)), `${at}.create`);
    return { vpcId: vpc.vpcId, subnetIds: vpc.subnetIds, ipv4Cidr: vpc.ipv4Cidr, ipv6Cidr: vpc.ipv6Cidr };
  }
  // The preflight checks guarantee vpcId and subnetIds when nothing is created.
  const vpc = fromConfig(new DataAwsVpc(scope, "Network", { id: network.vpcId }), `${at}.vpcId`, network.vpcId);
  return { vpcId: network.vpcId ?? vpc.id, subnetIds: network.subnetIds ?? [], ipv4Cidr: vpc.cidrBlock, ipv6Cidr: vpc.ipv6CidrBlock };
}
