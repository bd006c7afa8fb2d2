import { App, TerraformStack } from "cdktf";
import { AcceptanceStack } from "./acceptance-stack";
import type { PrivateLinkConfig } from "./config";
import { ConsumerPrivateDnsStack } from "./consumer-private-dns-stack";
import { ConsumerStack, wantsPrivateDns } from "./consumer-stack";
import { DnsVerificationStack } from "./dns-verification-stack";
import { ProviderStack } from "./provider-stack";
import { StackContext } from "./state";

/** The stacks of one config, in deploy order, with their dependencies declared. */
export function buildStacks(app: App, config: PrivateLinkConfig): TerraformStack[] {
  const context: StackContext = {
    state: config.state,
    sandboxEndpoint: config.sandbox?.endpoint,
    tags: { ...config.tags, "privatelink:name": config.name },
  };
  const service = config.service.endpointService;
  const stacks: TerraformStack[] = [];
  const provider = new ProviderStack(app, config, context);
  stacks.push(provider);

  const verification = service.privateDnsName !== undefined ? new DnsVerificationStack(app, config, context) : undefined;
  if (verification) {
    verification.addDependency(provider);
    stacks.push(verification);
  }

  const consumers = config.consumers.map((c) => {
    const stack = new ConsumerStack(app, config, c, context);
    stack.addDependency(provider);
    // Private DNS set at creation needs the domain verified first.
    if (verification && !service.acceptanceRequired && wantsPrivateDns(config, c)) stack.addDependency(verification);
    stacks.push(stack);
    return stack;
  });

  if (service.acceptanceRequired && consumers.length > 0) {
    const acceptance = new AcceptanceStack(app, config, context);
    acceptance.addDependency(provider);
    consumers.forEach((c) => acceptance.addDependency(c));
    stacks.push(acceptance);
    config.consumers.forEach((c, i) => {
      if (!wantsPrivateDns(config, c)) return;
      const privateDns = new ConsumerPrivateDnsStack(app, c, context);
      privateDns.addDependency(consumers[i]);
      privateDns.addDependency(acceptance);
      if (verification) privateDns.addDependency(verification);
      stacks.push(privateDns);
    });
  }
  return stacks;
}
