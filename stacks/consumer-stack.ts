import { Construct } from "constructs";
import { ConsumerEndpoint } from "../modules/consumer-endpoint";
import type { ConsumerConfig, PrivateLinkConfig } from "../config/schema";
import { endpointProps, wantsPrivateDns } from "../config/to-props";
import { fromConfig } from "./config-origin";
import { stackNetwork } from "./network";
import { PROVIDER_STACK } from "./provider-stack";
import { PrivateLinkStack } from "./privatelink-stack";
import { StackContext, readRemoteState } from "./state";

export const consumerStackName = (consumer: string): string => `consumer-${consumer}`;

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
    const at = `consumers[${config.consumers.indexOf(consumer)}]`;
    const network = stackNetwork(this, consumer.network, consumer.account.region, `${config.name}-${name}`, `${at}.network`);

    this.endpoint = fromConfig(new ConsumerEndpoint(this, "Endpoint", endpointProps(config, consumer, provider.getString("service_name"), network)), at);
    fromConfig(this.endpoint.securityGroup, `${at}.allowFrom`);
    this.endpoint.ingressRuleSources.forEach(({ list, index }, r) => fromConfig(this.endpoint.ingressRules[r], `${at}.allowFrom.${list}[${index}]`, consumer.allowFrom[list][index]));
    if (config.service.endpointService.acceptanceRequired && wantsPrivateDns(config, consumer)) {
      // Stage 5 (aws_vpc_endpoint_private_dns) owns the setting once the connection is accepted.
      this.endpoint.endpoint.lifecycle = { ...this.endpoint.endpoint.lifecycle, ignoreChanges: ["private_dns_enabled"] };
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
