import { TerraformResource, TerraformStack } from "cdktf";

/**
 * Keeps a resource's earlier Terraform address reachable: a `moved` block from the address the
 * resource had under its earlier construct id (a sibling id in the same scope) to its current
 * one, so state written by an earlier version is carried over instead of destroyed and
 * recreated. A moved block whose old address is not in the state does nothing.
 */
export function moveFromEarlierId(resource: TerraformResource, earlierId: string): void {
  if (earlierId === resource.node.id) return;
  const scopes = resource.node.scopes.slice(0, -1);
  // The same allocation cdktf uses for the resource itself, applied to the earlier path.
  const earlier = TerraformStack.of(resource).getLogicalId({ scopes: [...scopes, { node: { id: earlierId } }] } as never);
  resource.moveFromId(`${resource.terraformResourceType}.${earlier}`);
}

/** A construct id part from a value: letters, digits, '-' and '_' only. */
export function idPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, "_");
}
