import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { VpcEndpointPrivateDns } from "@cdktf/provider-aws/lib/vpc-endpoint-private-dns";
import type { ConnectionAccepter } from "./connection-accepter";
import type { PrivateDnsVerification } from "./private-dns-verification";
import { Problems } from "./validation";

export interface EndpointPrivateDnsProps {
  /** Id of an existing interface endpoint (vpce-...). */
  readonly endpointId: string;
  /** Turn private DNS on (true) or off (false) for the endpoint. @default true */
  readonly enabled?: boolean;
  /**
   * The accepter of the endpoint's connection, when it is in the same stack: private DNS waits
   * for it, as AWS refuses private DNS before the connection is accepted. @default - none
   */
  readonly connectionAccepter?: ConnectionAccepter;
  /**
   * The verification of the service's private DNS name, when it is in the same stack: private
   * DNS waits for it, as the name works only once verified. @default - none
   */
  readonly domainVerification?: PrivateDnsVerification;
}

/**
 * Turns private DNS on for an existing interface endpoint. AWS refuses this until the
 * provider has accepted the connection and verified the domain, so it is a step of its own.
 */
export class EndpointPrivateDns extends Construct {
  /** The aws_vpc_endpoint_private_dns resource. */
  readonly resource: VpcEndpointPrivateDns;
  /** Endpoint id, vpce-... (the resource's vpc_endpoint_id attribute). */
  readonly endpointId: string;
  /** Whether private DNS is on for the endpoint, after the default. */
  readonly privateDnsEnabled: boolean;

  constructor(scope: Construct, id: string, props: EndpointPrivateDnsProps) {
    super(scope, id);
    const p = new Problems();
    p.check(typeof props.endpointId === "string" && /^vpce-[0-9a-f]+$/.test(props.endpointId), "endpointId", props.endpointId, "an endpoint id (vpce-0123456789abcdef0)");
    p.throwIfAny("EndpointPrivateDns", this);
    this.privateDnsEnabled = props.enabled ?? true;
    const waitFor: ITerraformDependable[] = [...(props.connectionAccepter?.accepters ?? [])];
    const verified = props.domainVerification?.verification ?? props.domainVerification?.record;
    if (verified) waitFor.push(verified);
    this.resource = new VpcEndpointPrivateDns(this, "PrivateDns", {
      vpcEndpointId: props.endpointId,
      privateDnsEnabled: this.privateDnsEnabled,
      dependsOn: waitFor.length > 0 ? waitFor : undefined,
    });
    this.endpointId = this.resource.vpcEndpointId;
  }
}
