import type { ConsumerEndpointProps } from "../modules/consumer-endpoint";
import type { DualStackNlbProps } from "../modules/dual-stack-nlb";
import type { DualStackVpcProps } from "../modules/dual-stack-vpc";
import type { ConsumerConfig, NetworkConfig, PrivateLinkConfig } from "./schema";

// From the checked config to the constructs' props: one place, used by the stacks that build
// the constructs and by the preflight checks that judge the same props at the config's paths.

/** The load balancer's props as the config describes them; the preflight checks judge the same. */
export function loadBalancerProps(config: PrivateLinkConfig, network: { vpcId: string; subnetIds: string[] }, targetIds: string[]): DualStackNlbProps {
  const lb = config.service.loadBalancer;
  return {
    name: lb.name ?? `${config.name}-nlb`,
    vpcId: network.vpcId,
    subnetIds: network.subnetIds,
    ipAddressType: lb.ipAddressType,
    listeners: lb.listeners,
    target: {
      type: lb.target.type,
      port: lb.target.port,
      ipAddressType: lb.target.ipAddressType,
      ids: targetIds,
      healthCheck: lb.target.healthCheck,
      proxyProtocolV2: lb.proxyProtocolV2,
      preserveClientIp: lb.target.preserveClientIp,
      deregistrationDelaySeconds: lb.target.deregistrationDelaySeconds,
    },
    crossZoneEnabled: lb.crossZone,
    // On by default, except in the sandbox, which destroys what it builds.
    deletionProtection: lb.deletionProtection ?? config.sandbox === undefined,
    securityGroupIds: lb.securityGroupIds,
    withoutSecurityGroup: lb.withoutSecurityGroup !== undefined,
    allowDirectFrom: lb.allowDirectFrom,
    accessLogs: lb.accessLogs,
  };
}

/** A created network's props as the config describes them (flow logs on unless withoutFlowLogs gives a reason). */
export function createdNetworkProps(create: NonNullable<NetworkConfig["create"]>, name?: string, region?: string): DualStackVpcProps {
  const { withoutFlowLogs, ...rest } = create;
  return { ...rest, withoutFlowLogs: withoutFlowLogs !== undefined, name, region };
}

/** Whether a consumer wants private DNS: explicit, else whenever the service has a name. */
export function wantsPrivateDns(config: PrivateLinkConfig, consumer: ConsumerConfig): boolean {
  return consumer.privateDns ?? config.service.endpointService.privateDnsName !== undefined;
}

/** The endpoint's props as the config describes them; the preflight checks judge the same. */
export function endpointProps(config: PrivateLinkConfig, consumer: ConsumerConfig, serviceName: string, network: { vpcId: string; subnetIds: string[] }): ConsumerEndpointProps {
  return {
    serviceName,
    vpcId: network.vpcId,
    subnetIds: network.subnetIds,
    ports: config.service.loadBalancer.listeners.map(({ port, protocol, id }) => ({ port, protocol, id })),
    allowFrom: consumer.allowFrom,
    ipAddressType: consumer.ipAddressType,
    dnsRecordIpType: consumer.dnsRecordIpType,
    // Set at creation only without acceptance; otherwise stage 5 turns it on.
    privateDnsEnabled: wantsPrivateDns(config, consumer) && !config.service.endpointService.acceptanceRequired,
    serviceRegion: consumer.serviceRegion,
    // Created subnets' zones are known now: the zone check then needs no subnet lookups.
    subnetAvailabilityZones: consumer.network.create?.availabilityZones,
  };
}
