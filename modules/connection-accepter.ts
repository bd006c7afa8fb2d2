import { TerraformIterator } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { VpcEndpointConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-accepter";
import { exprList } from "./terraform-values";
import { Problems, isToken } from "./validation";

export interface ConnectionAccepterProps {
  /** Id of the endpoint service (vpce-svc-...). */
  readonly serviceId: string;
  /**
   * Consumer endpoints to accept: a map of stable names to endpoint ids (each name becomes part
   * of the Terraform address), or a list of ids. A Terraform map or list (a module variable)
   * gives one accepter resource with for_each, keyed by the map's keys (or the ids of a list).
   */
  readonly endpointIds: Record<string, string> | string[];
}

/**
 * Accepts consumer endpoint connections to an endpoint service that requires acceptance:
 * one `aws_vpc_endpoint_connection_accepter` per endpoint.
 */
export class ConnectionAccepter extends Construct {
  /** The aws_vpc_endpoint_connection_accepter resources, one per endpoint (one with for_each for a Terraform map or list). */
  readonly accepters: VpcEndpointConnectionAccepter[];
  /** Ids of the accepted endpoints, in the order given. */
  readonly acceptedEndpointIds: string[];

  constructor(scope: Construct, id: string, props: ConnectionAccepterProps) {
    super(scope, id);
    validate(this, props);
    if (isToken(props.endpointIds)) {
      const ids = props.endpointIds;
      const forEach = Array.isArray(ids) ? TerraformIterator.fromList(ids) : TerraformIterator.fromMap(ids);
      const accepter = new VpcEndpointConnectionAccepter(this, "Accept", { forEach, vpcEndpointServiceId: props.serviceId, vpcEndpointId: forEach.value });
      this.accepters = [accepter];
      this.acceptedEndpointIds = exprList(`[for k, a in ${accepter.fqn} : a.vpc_endpoint_id]`);
      return;
    }
    const entries = Array.isArray(props.endpointIds)
      ? props.endpointIds.map((endpointId, i) => [String(i), endpointId] as const)
      : Object.entries(props.endpointIds);
    this.accepters = entries.map(
      ([name, endpointId]) =>
        new VpcEndpointConnectionAccepter(this, `Accept-${name}`, {
          vpcEndpointServiceId: props.serviceId,
          vpcEndpointId: endpointId,
        }),
    );
    this.acceptedEndpointIds = this.accepters.map((a) => a.vpcEndpointId);
  }
}

function validate(scope: IConstruct, props: ConnectionAccepterProps): void {
  const p = new Problems();
  checkConnectionAccepterProps(props, p);
  p.throwIfAny("ConnectionAccepter", scope);
}

/** Checks ConnectionAccepter props without building anything; problems go to `p`. */
export function checkConnectionAccepterProps(props: ConnectionAccepterProps, p: Problems): void {
  p.check(typeof props.serviceId === "string" && /^vpce-svc-[0-9a-f]+$/.test(props.serviceId), "serviceId", props.serviceId, "an endpoint service id (vpce-svc-0123456789abcdef0)");
  const ids = props.endpointIds ?? [];
  const entries = Array.isArray(ids) ? ids.map((v, i) => [`endpointIds[${i}]`, v] as const) : Object.entries(ids).map(([k, v]) => [`endpointIds.${k}`, v] as const);
  if (isToken(ids)) return;
  p.check(entries.length > 0, "endpointIds", props.endpointIds, "at least one endpoint id (vpce-0123456789abcdef0)");
  for (const [path, v] of entries) p.check(typeof v === "string" && /^vpce-[0-9a-f]+$/.test(v), path, v, "an endpoint id (vpce-0123456789abcdef0)");
  if (!Array.isArray(ids)) {
    for (const name of Object.keys(ids)) p.check(/^[A-Za-z0-9_-]+$/.test(name), `endpointIds.${name}`, name, "a name of letters, digits, '-' and '_'");
  }
}
