import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { ConnectionAccepter } from "../modules/connection-accepter";
import type { PrivateLinkConfig } from "../config/schema";
import { consumerStackName } from "./consumer-stack";
import { PROVIDER_STACK } from "./provider-stack";
import { PrivateLinkStack } from "./privatelink-stack";
import { StackContext, readRemoteState } from "./state";
import { fromConfig } from "./config-origin";

export const ACCEPTANCE_STACK = "acceptance";

/** Stage 4, provider account: accepts each consumer's endpoint, ids read from the consumers' state. */
export class AcceptanceStack extends PrivateLinkStack {
  readonly accepter: ConnectionAccepter;

  constructor(scope: Construct, config: PrivateLinkConfig, context: StackContext) {
    super(scope, ACCEPTANCE_STACK, config.service.account, context);
    const provider = readRemoteState(this, PROVIDER_STACK, context, ["service_id"]);
    const endpointIds = Object.fromEntries(
      config.consumers.map((c) => [c.name, readRemoteState(this, consumerStackName(c.name), context, ["endpoint_id"]).getString("endpoint_id")]),
    );
    this.accepter = fromConfig(new ConnectionAccepter(this, "Accepter", { serviceId: provider.getString("service_id"), endpointIds }), "service.endpointService.acceptanceRequired", true);
    this.accepter.accepters.forEach((a, i) => fromConfig(a, `consumers[${i}]`));
    new TerraformOutput(this, "accepted_endpoint_ids", { value: this.accepter.acceptedEndpointIds });
    new TerraformOutput(this, "accepted_endpoints", { value: endpointIds, description: "Consumer name -> accepted endpoint id" });
  }
}
