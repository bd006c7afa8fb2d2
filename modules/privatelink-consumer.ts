import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ConnectionAccepter } from "./connection-accepter";
import { ConsumerEndpoint, ConsumerEndpointOptions } from "./consumer-endpoint";
import { EndpointPrivateDns } from "./endpoint-private-dns";
import type { PrivateLinkService } from "./privatelink-service";
import { Problems, isToken } from "./validation";

export interface PrivateLinkConsumerProps extends ConsumerEndpointOptions {
  /** The service to connect to, in the same stack: its name, ports and acceptance are taken from it. */
  readonly service: PrivateLinkService;
  /** Resolve the service's private DNS name to this endpoint. @default true when the service has a private DNS name */
  readonly privateDns?: boolean;
}

/**
 * The consumer side of PrivateLink in one construct, for a PrivateLinkService in the same stack:
 * the interface endpoint with its least-privilege security group on the service's ports, the
 * acceptance of its connection when the service requires it, and private DNS once AWS allows
 * it — after the acceptance and the domain's verification, never in parallel with them.
 */
export class PrivateLinkConsumer extends Construct {
  /** The interface endpoint and its security group. */
  readonly endpoint: ConsumerEndpoint;
  /** The acceptance of the endpoint's connection, when the service requires acceptance. */
  readonly accepter?: ConnectionAccepter;
  /** The step that turns private DNS on after acceptance, when the service requires acceptance. */
  readonly privateDns?: EndpointPrivateDns;
  /** Whether the endpoint resolves the service's private DNS name, after the default. */
  readonly privateDnsEnabled: boolean;

  constructor(scope: Construct, id: string, props: PrivateLinkConsumerProps) {
    super(scope, id);
    const { service, privateDns, ...endpointProps } = props;
    const hasName = service.endpointService.privateDnsName !== undefined;
    const p = new Problems();
    p.check(privateDns !== true || hasName, "privateDns", privateDns, "false, or a service with endpointService.privateDnsName");
    p.throwIfAny("PrivateLinkConsumer", this);
    this.privateDnsEnabled = privateDns ?? hasName;
    const verified = service.domainVerification?.verification ?? service.domainVerification?.record;

    // Without acceptance, private DNS is set at creation, once the domain is verified.
    const atCreation = this.privateDnsEnabled && !service.acceptanceRequired;
    const waitFor: ITerraformDependable[] = atCreation && verified ? [verified] : [];
    this.endpoint = new ConsumerEndpoint(this, "Endpoint", {
      ...endpointProps,
      serviceName: service.endpointService.serviceName,
      // Listeners given as a Terraform value come as a Terraform list of { id, port, protocol }.
      ports: isToken(service.nlb.listenerPorts) ? service.nlb.listenerPorts : service.nlb.listenerPorts.map(({ port, protocol }, i) => ({ port, protocol, id: String(i) })),
      privateDnsEnabled: atCreation,
      dependsOn: waitFor.length > 0 ? waitFor : undefined,
    });

    if (service.acceptanceRequired) {
      this.accepter = new ConnectionAccepter(this, "Acceptance", { serviceId: service.endpointService.serviceId, endpointIds: { [id.replace(/[^A-Za-z0-9_-]/g, "_")]: this.endpoint.endpointId } });
      if (this.privateDnsEnabled) {
        // The endpoint is created with private DNS off; this step owns the setting after acceptance.
        this.endpoint.endpoint.lifecycle = { ...this.endpoint.endpoint.lifecycle, ignoreChanges: ["private_dns_enabled"] };
        this.privateDns = new EndpointPrivateDns(this, "PrivateDns", {
          endpointId: this.endpoint.endpointId,
          connectionAccepter: this.accepter,
          domainVerification: service.domainVerification,
        });
      }
    }
  }
}
