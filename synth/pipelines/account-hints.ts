/**
 * The accounts of stacks whose providers assume no role, from the config: cdktf.out names an
 * account only through a provider's role, while the config may give it as `account.id` (the
 * credentials' own account) or, with `sandbox`, the emulator's.
 */
import { AccountConfig, PrivateLinkConfig, SANDBOX_ACCOUNT_ID } from "../../config/schema";
import { ACCEPTANCE_STACK } from "../../stacks/acceptance-stack";
import { consumerPrivateDnsStackName } from "../../stacks/consumer-private-dns-stack";
import { consumerStackName } from "../../stacks/consumer-stack";
import { DNS_VERIFICATION_STACK } from "../../stacks/dns-verification-stack";
import { PROVIDER_STACK } from "../../stacks/provider-stack";
import type { AccountHints } from "./stack-access";

/** Stack name -> account id, for every stack of the config whose account's id is known. */
export function accountHints(config: PrivateLinkConfig): AccountHints {
  const idOf = (account: AccountConfig) => account.id ?? (config.sandbox ? SANDBOX_ACCOUNT_ID : undefined);
  const stacks: Record<string, string> = {};
  const service = idOf(config.service.account);
  if (service) for (const name of [PROVIDER_STACK, DNS_VERIFICATION_STACK, ACCEPTANCE_STACK]) stacks[name] = service;
  for (const c of config.consumers) {
    const id = idOf(c.account);
    if (id) for (const name of [consumerStackName(c.name), consumerPrivateDnsStackName(c.name)]) stacks[name] = id;
  }
  return { stacks, ...(config.sandbox ? { default: SANDBOX_ACCOUNT_ID } : {}) };
}
