import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { EndpointPrivateDns } from "../modules/endpoint-private-dns";
import { accountProvider } from "./aws-provider";
import type { ConsumerConfig } from "./config";
import { consumerStackName } from "./consumer-stack";
import { PROVIDER_STACK } from "./provider-stack";
import { StackContext, configureBackend, readRemoteState } from "./state";

export const consumerPrivateDnsStackName = (consumer: string): string => `consumer-${consumer}-private-dns`;

/** Stage 5, consumer account: private DNS on for the endpoint, once accepted and the domain verified. */
export class ConsumerPrivateDnsStack extends TerraformStack {
  readonly privateDns: EndpointPrivateDns;

  constructor(scope: Construct, consumer: ConsumerConfig, context: StackContext) {
    const name = consumerPrivateDnsStackName(consumer.name);
    super(scope, name);
    configureBackend(this, name, context);
    accountProvider(this, { account: consumer.account, tags: context.tags, sandboxEndpoint: context.sandboxEndpoint });
    const endpoint = readRemoteState(this, consumerStackName(consumer.name), context, ["endpoint_id"]);
    const provider = readRemoteState(this, PROVIDER_STACK, context, ["private_dns_name"]);
    this.privateDns = new EndpointPrivateDns(this, "PrivateDns", { endpointId: endpoint.getString("endpoint_id") });
    new TerraformOutput(this, "private_dns_name", { value: provider.getString("private_dns_name") });
    new TerraformOutput(this, "endpoint_id", { value: this.privateDns.endpointId });
  }
}
