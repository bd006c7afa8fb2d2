import { TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import type { ResourceOrigin } from "../rules";

// Which part of the config each construct was built from, so that a rule finding on a resource
// names the config path (and value) the user wrote, not only a Terraform address.

const origins = new WeakMap<IConstruct, ResourceOrigin>();

/** Marks a construct (and, unless they are marked themselves, everything under it) as built from a config path. */
export function fromConfig<T extends IConstruct>(construct: T, path: string, value?: unknown): T {
  origins.set(construct, value === undefined ? { path } : { path, value });
  return construct;
}

/** Resource address -> the config path it was built from (the nearest marked scope), for one stack. */
export function resourceOrigins(stack: TerraformStack, statePath = "state"): Record<string, ResourceOrigin> {
  const found: Record<string, ResourceOrigin> = { "terraform.backend.local": { path: statePath }, "terraform.backend.s3": { path: statePath } };
  for (const c of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(c)) continue;
    const origin = [...c.node.scopes].reverse().map((s) => origins.get(s)).find((o) => o !== undefined);
    if (origin) found[`${c.terraformResourceType}.${c.friendlyUniqueId}`] = origin;
  }
  return found;
}
