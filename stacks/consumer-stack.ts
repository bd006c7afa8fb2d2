import { Construct } from "constructs";
import { ConsumerEndpoint, ConsumerEndpointProps } from "../modules/consumer-endpoint";
import type { ConsumerConfig, PrivateLinkConfig } from "./config";
import { stackNetwork } from "./network";
import { PROVIDER_STACK } from "./provider-stack";
import { PrivateLinkStack } from "./privatelink-stack";
import { StackContext, readRemoteState } from "./state";

export const consumerStackName = (consumer: string): string => `consumer-${consumer}`;

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
  };
}

/**
 * Stage 3, consumer account: the interface endpoint (its service name read from the provider's
 * state) and its least-privilege security group. Private DNS is set here only when the service
 * needs no acceptance; otherwise stage 5 turns it on.
 */
export class ConsumerStack extends PrivateLinkStack {
  readonly endpoint: ConsumerEndpoint;

  constructor(scope: Construct, config: PrivateLinkConfig, consumer: ConsumerConfig, context: StackContext) {
    const name = consumerStackName(consumer.name);
    super(scope, name, consumer.account, context);
    const provider = readRemoteState(this, PROVIDER_STACK, context, ["service_name"]);
    const network = stackNetwork(this, consumer.network, `${config.name}-${name}`);

    this.endpoint = new ConsumerEndpoint(this, "Endpoint", endpointProps(config, consumer, provider.getString("service_name"), network));
    if (config.service.endpointService.acceptanceRequired && wantsPrivateDns(config, consumer)) {
      // Stage 5 (aws_vpc_endpoint_private_dns) owns the setting once the connection is accepted.
      this.endpoint.endpoint.lifecycle = { ignoreChanges: ["private_dns_enabled"] };
    }
    const ep = this.endpoint;
    this.output({
      endpoint_id: ep.endpointId,
      dns_names: ep.dnsNames,
      zonal_dns_names: ep.zonalDnsNames,
      network_interface_ids: ep.networkInterfaceIds,
      security_group_id: ep.securityGroupId,
      ip_address_type: ep.ipAddressType,
      service_name: provider.getString("service_name"),
      vpc_id: network.vpcId,
    });
  }
}
