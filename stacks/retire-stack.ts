import { Construct } from "constructs";
import { PrivateLinkStack } from "./privatelink-stack";
import type { AccountConfig } from "../config/schema";
import { StackContext } from "./state";

/** What the stack record (kept by synth) holds of a stack: the accounts it deployed to, what retiring it forgets. */
export interface RecordedStack {
  /** "default", and any aliased account such as "dns". */
  readonly accounts: Readonly<Record<string, AccountConfig>>;
  /** Addresses that retiring forgets rather than destroys. */
  readonly forget: readonly string[];
}

/**
 * A stack that left the config: same name, same backend and the providers of the accounts it
 * deployed to, but no resources and no remote-state reads. `terraform apply` in its folder
 * removes whatever its state still holds, in any order and even once `provider` is gone:
 * accepters and private DNS switches are forgotten (`removed` blocks with destroy = false), so
 * no live endpoint is rejected and private DNS stays on; everything else is destroyed.
 */
export class RetireStack extends PrivateLinkStack {
  /** Addresses forgotten rather than destroyed. */
  readonly forgotten: readonly string[];

  constructor(scope: Construct, name: string, recorded: RecordedStack, context: StackContext) {
    super(scope, name, recorded.accounts.default, context);
    for (const [alias, account] of Object.entries(recorded.accounts)) if (alias !== "default") this.aliasedProvider(alias, account);
    this.forgotten = recorded.forget;
    if (this.forgotten.length > 0) {
      this.addOverride(
        "removed",
        this.forgotten.map((from) => ({ from, lifecycle: { destroy: false } })),
      );
    }
  }
}
