/**
 * The accounts of stacks whose providers assume no role: cdktf.out names an account only through
 * a provider's role, while the config (and the stack record, for retire stacks) may give it as
 * `account.id`, the credentials' own account.
 */
import { KnownAccount, accountIdOf } from "./github-roles";
import type { AccountHints } from "./stack-access";

/**
 * Stack name -> account id, from each stack's account as the stack record holds it (the map
 * synth hands the workflow too): its `id`, else its role's account.
 */
export function accountHints(accounts: Readonly<Record<string, KnownAccount | undefined>>, defaultAccountId?: string): AccountHints {
  const stacks: Record<string, string> = {};
  for (const [name, account] of Object.entries(accounts)) {
    const id = account ? accountIdOf(account) : undefined;
    if (id) stacks[name] = id;
  }
  return { stacks, ...(defaultAccountId ? { default: defaultAccountId } : {}) };
}
