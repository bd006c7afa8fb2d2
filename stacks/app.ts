import { App, TerraformStack } from "cdktf";
import { AcceptanceStack } from "./acceptance-stack";
import type { PrivateLinkConfig } from "../config/schema";
import { ConsumerPrivateDnsStack } from "./consumer-private-dns-stack";
import { ConsumerStack } from "./consumer-stack";
import { wantsPrivateDns } from "../config/to-props";
import { DnsVerificationStack } from "./dns-verification-stack";
import { ProviderStack } from "./provider-stack";
import { PrivateLinkStack } from "./privatelink-stack";
import { RecordedStack, RetireStack } from "./retire-stack";
import { StackContext } from "./state";

/** What every stack of one config shares. */
export function stackContext(config: PrivateLinkConfig): StackContext {
  return {
    state: config.state,
    configName: config.name,
    sandboxEndpoint: config.sandbox?.endpoint,
    tags: { ...config.tags, "privatelink:name": config.name },
    awsProviderVersion: config.terraform.awsProviderVersion,
  };
}

/** Declares that `stack` deploys after `dependencies`. */
function dependOn(stack: TerraformStack, ...dependencies: TerraformStack[]): void {
  for (const d of dependencies) stack.addDependency(d);
}

/** The stacks of one config, in deploy order, with their dependencies declared. */
export function buildStacks(app: App, config: PrivateLinkConfig): PrivateLinkStack[] {
  const context = stackContext(config);
  const service = config.service.endpointService;
  const stacks: PrivateLinkStack[] = [];
  const provider = new ProviderStack(app, config, context);
  stacks.push(provider);

  const verification = service.privateDnsName !== undefined ? new DnsVerificationStack(app, config, context) : undefined;
  if (verification) {
    dependOn(verification, provider);
    stacks.push(verification);
  }

  const consumers = config.consumers.map((c) => {
    const stack = new ConsumerStack(app, config, c, context);
    dependOn(stack, provider);
    // Private DNS set at creation needs the domain verified first.
    if (verification && !service.acceptanceRequired && wantsPrivateDns(config, c)) dependOn(stack, verification);
    stacks.push(stack);
    return stack;
  });

  if (service.acceptanceRequired && consumers.length > 0) {
    const acceptance = new AcceptanceStack(app, config, context);
    dependOn(acceptance, provider, ...consumers);
    stacks.push(acceptance);
    config.consumers.forEach((c, i) => {
      if (!wantsPrivateDns(config, c)) return;
      const privateDns = new ConsumerPrivateDnsStack(app, c, context, `consumers[${i}]`);
      dependOn(privateDns, consumers[i], acceptance, ...(verification ? [verification] : []));
      stacks.push(privateDns);
    });
  }
  return stacks;
}

/**
 * A retire stack for every recorded stack the config no longer produces. Each depends on every
 * live stack, so `cdktf deploy '*'` applies them after the flow (and `cdktf destroy '*'` first).
 */
export function buildRetireStacks(app: App, config: PrivateLinkConfig, record: { readonly stacks: Readonly<Record<string, RecordedStack>> }, live: readonly PrivateLinkStack[]): RetireStack[] {
  const liveNames = new Set(live.map((s) => s.node.id));
  const context = stackContext(config);
  return Object.entries(record.stacks)
    .filter(([name]) => !liveNames.has(name))
    .map(([name, recorded]) => {
      const stack = new RetireStack(app, name, recorded, context);
      dependOn(stack, ...live);
      return stack;
    });
}

/** One line on what applying a retire stack does. */
export function retireAction(stack: RetireStack, liveNames: ReadonlySet<string>): string {
  const name = stack.node.id;
  const owner = /^(consumer-[a-z][a-z0-9-]*)-private-dns$/.exec(name)?.[1];
  const forgets = stack.forgotten.length;
  if (owner) {
    return liveNames.has(owner)
      ? `forgets the private DNS switch (${forgets} resource(s)): private DNS stays on and ${owner} manages it from now on; deletes nothing`
      : `forgets the private DNS switch (${forgets} resource(s)); the endpoint goes with ${owner}'s own retirement; deletes nothing`;
  }
  if (name === "acceptance") return `forgets the connection accepters (${forgets} resource(s)), so no endpoint is rejected; deletes nothing`;
  if (name.startsWith("consumer-")) return "destroys everything its state holds: the interface endpoint, its security group and any network it created";
  if (name === "dns-verification") return "destroys everything its state holds: the TXT verification record";
  return forgets > 0 ? `forgets ${forgets} resource(s) and destroys everything else its state holds` : "destroys everything its state holds";
}
