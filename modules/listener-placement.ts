import { Construct } from "constructs";
import type { ClientRule } from "./client-ingress";
import { idPart } from "./terraform-address";
import { isToken } from "./validation";

// Where a NetworkListener's resources live, and under which construct ids. cdktf derives a
// resource's Terraform address from its construct path, and writes the path itself into the
// synthesized JSON and HCL. A NetworkListener used alone puts its resources under itself. A
// DualStackNlb's listeners put theirs directly under the load balancer, with the ids they had
// before listeners were NetworkListeners: every address, moved block and byte of the output stays
// what it was, but for a direct client written another way than its canonical text, whose rules
// move to the canonical key (see canonicalSourceKey). Overriding only the logical ids
// (overrideLogicalId) would keep the addresses but not the paths in the output. Internal: not
// exported from the package.

/** A resource of a listener, by what it is. */
export type ListenerResource =
  | { readonly kind: "TargetGroup" | "Listener" | "Vpc" }
  /** `key`: the target's part of the id; `index`: its position in the target ids. */
  | { readonly kind: "Target"; readonly key: string; readonly index: number }
  | { readonly kind: "Ingress"; readonly rule: ClientRule }
  | { readonly kind: "Egress"; readonly ipProtocol: string; readonly healthChecks: boolean };

export interface ListenerPlacement {
  /** The scope the resources are created in. */
  readonly scope: Construct;
  /** A resource's construct id in that scope. */
  id(resource: ListenerResource): string;
  /** The id a resource had in an earlier version, when it may differ: a moved block carries its state over. */
  earlierId?(resource: ListenerResource): string | undefined;
  /** The listener's props were checked by the construct that places it, at its own prop paths. */
  readonly checked?: boolean;
}

/** Under the listener itself: TargetGroup, Listener, Target-<target>, Ingress-<ip protocol>-<client>, Egress-<ip protocol>. */
export function underListener(listener: Construct): ListenerPlacement {
  return {
    scope: listener,
    id: (r) => {
      switch (r.kind) {
        case "Target":
          return `Target-${r.key}`;
        case "Ingress":
          return `Ingress-${r.rule.ipProtocol}-${r.rule.key}`;
        case "Egress":
          return `Egress-${r.healthChecks ? "health-" : ""}${r.ipProtocol}`;
        default:
          return r.kind;
      }
    },
  };
}

/**
 * Directly under a DualStackNlb, which checked the listener with its own props: the ids carry
 * the listener's stable name (`key`, its id or position). One aws_vpc lookup serves every listener.
 */
export function underLoadBalancer(loadBalancer: Construct, key: string, protocol: string, port: number): ListenerPlacement {
  // Before 0.2 the addresses held protocol and port; moved blocks carry that state over.
  const earlier = isToken(port) ? undefined : `${protocol.toLowerCase().replace("_", "")}${port}`;
  return {
    scope: loadBalancer,
    checked: true,
    id: (r) => {
      switch (r.kind) {
        case "TargetGroup":
        case "Listener":
          return `${r.kind}-${key}`;
        case "Target":
          return `TargetGroup-${key}-Target-${r.key}`;
        case "Ingress":
          return `Ingress-${key}-${r.rule.ipProtocol}-${r.rule.key}`;
        case "Egress":
          return `Egress-${key}${r.healthChecks ? "-health" : ""}-${r.ipProtocol}`;
        case "Vpc":
          return "Vpc";
      }
    },
    earlierId: (r) => {
      switch (r.kind) {
        case "TargetGroup":
        case "Listener":
          return earlier && `${r.kind}-${earlier}`;
        case "Target":
          return earlier && `TargetGroup-${earlier}-Target${r.index}`;
        case "Ingress":
          // Until 0.2 a client's key was its text as written; another spelling than the canonical one (2001:DB8::/56) moves.
          return isToken(r.rule.source) ? undefined : `Ingress-${key}-${r.rule.ipProtocol}-${idPart(r.rule.source)}`;
        default:
          return undefined;
      }
    },
  };
}

// The placement a DualStackNlb gives the NetworkListener it is about to create, by that
// listener's scope and id: handed over beside the constructor (whose public signature stays
// scope, id, props, as construct libraries for other languages require) and taken once.
const pending = new WeakMap<Construct, Map<string, ListenerPlacement>>();

/** Creates a NetworkListener (by `create`) with its resources where `placement` says. */
export function withPlacement<T>(scope: Construct, id: string, placement: ListenerPlacement, create: () => T): T {
  const byId = pending.get(scope) ?? new Map<string, ListenerPlacement>();
  pending.set(scope, byId);
  byId.set(id, placement);
  try {
    return create();
  } finally {
    byId.delete(id);
  }
}

/** The placement handed over for the listener `id` under `scope`, if any (taken once). */
export function takePlacement(scope: Construct, id: string): ListenerPlacement | undefined {
  const byId = pending.get(scope);
  const placement = byId?.get(id);
  byId?.delete(id);
  return placement;
}
