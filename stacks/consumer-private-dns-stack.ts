import { Construct } from "constructs";
import { EndpointPrivateDns } from "../modules/endpoint-private-dns";
import type { ConsumerConfig } from "../config/schema";
import { consumerStackName } from "./consumer-stack";
import { PROVIDER_STACK } from "./provider-stack";
import { PrivateLinkStack } from "./privatelink-stack";
import { StackContext, readRemoteState } from "./state";
import { fromConfig } from "./config-origin";

export const consumerPrivateDnsStackName = (consumer: string): string => `consumer-${consumer}-private-dns`;

/** Stage 5, consumer account: private DNS on for the endpoint, once accepted and the domain verified. */
export class ConsumerPrivateDnsStack extends PrivateLinkStack {
  readonly privateDns: EndpointPrivateDns;

  constructor(scope: Construct, consumer: ConsumerConfig, context: StackContext, at = "consumers") {
    const name = consumerPrivateDnsStackName(consumer.name);
    super(scope, name, consumer.account, context);
    const endpoint = readRemoteState(this, consumerStackName(consumer.name), context, ["endpoint_id"]);
    const provider = readRemoteState(this, PROVIDER_STACK, context, ["private_dns_name"]);
    this.privateDns = fromConfig(new EndpointPrivateDns(this, "PrivateDns", { endpointId: endpoint.getString("endpoint_id") }), `${at}.privateDns`);
    this.output({ private_dns_name: provider.getString("private_dns_name"), endpoint_id: this.privateDns.endpointId });
  }
}
