/** How bad a breach is: errors fail synth, warnings are reported only. */
export type RuleLevel = "error" | "warning";

/** A rule's answer for one resource. */
export enum Compliance {
  COMPLIANT = "compliant",
  NON_COMPLIANT = "non-compliant",
  /** The rule does not apply, or the value is an unresolved reference that cannot be judged. */
  NOT_APPLICABLE = "not-applicable",
}

/** One resource of a synthesized stack, as rules see it. */
export interface SynthesizedResource {
  readonly stack: string;
  /** Terraform type, such as "aws_lb". */
  readonly type: string;
  /** Logical id, such as "LoadBalancer_10456B95". */
  readonly id: string;
  /** "<type>.<logical id>", the resource's Terraform address inside its stack. */
  readonly address: string;
  /** The resource's synthesized attributes (snake_case). */
  readonly config: Record<string, any>;
}

/** What a rule says about one resource. */
export interface RuleResult {
  readonly stack: string;
  /** "<type>.<logical id>", or "terraform.backend.<type>" for a backend. */
  readonly resource: string;
  readonly compliance: Compliance;
  /** For a non-compliant resource: what was found and what would comply. */
  readonly detail?: string;
}

/** Known-good values that loosen rules without suppressing them. */
export interface RuleAllowances {
  /**
   * Ports (TCP or UDP) endpoint security groups may open besides the listener ports found in
   * the synthesized aws_lb_listener resources, such as the listener ports of a provider that
   * is synthesized in another pipeline.
   * @default - the synthesized listener ports only
   */
  readonly ingressPorts?: readonly number[];
}

/** What a rule reads: the parsed cdk.tf.json of every stack of one synth. */
export interface RuleContext {
  /** Stack name -> parsed cdk.tf.json. */
  readonly stacks: Readonly<Record<string, any>>;
  readonly allow: RuleAllowances;
  /** Resources of one type in every stack (stack order, then logical id order), or in one stack. */
  resources(type: string, stack?: string): SynthesizedResource[];
  /** Data sources of one type in one stack, by logical id. */
  dataSources(type: string, stack: string): Record<string, Record<string, any>>;
}

/** One security rule: looks at one resource type and answers per resource. */
export interface Rule {
  /** "PL-<AREA><n>": stable, used in suppressions. */
  readonly id: string;
  readonly level: RuleLevel;
  /** The Terraform resource type the rule judges (for RULES.md). */
  readonly resourceType: string;
  /** Why the rule exists, in one line. */
  readonly reason: string;
  /** How to comply, in one line (for RULES.md). */
  readonly fix: string;
  check(ctx: RuleContext): RuleResult[];
}

/** Where a resource came from, in the terms of what the user wrote: a config path and its value. */
export interface ResourceOrigin {
  /** A JSON path in the config, such as "service.endpointService.allowedPrincipals[0]". */
  readonly path: string;
  /** The value at that path, when one value produced the resource. @default - none */
  readonly value?: unknown;
}

/** A rule breach, or a broken suppression, after suppressions are applied. */
export interface Finding {
  readonly id: string;
  readonly level: RuleLevel;
  readonly stack: string;
  /** "<type>.<logical id>" (or "suppressions[<i>]" for a broken suppression). */
  readonly resource: string;
  /** The config path (and value) that produced the resource, when known. */
  readonly origin?: ResourceOrigin;
  /** The rule's reason. */
  readonly reason: string;
  /** What was found on this resource and what would comply. */
  readonly detail?: string;
  /** The suppression's reason, when a suppression covers this finding. */
  readonly suppressed?: string;
}

/** Accepts the findings of one rule, with a reason that is printed with them. */
export interface Suppression {
  /** Rule id, such as "PL-SVC2". */
  readonly id: string;
  /** Why the finding is acceptable: required, printed in the findings table. */
  readonly reason: string;
  /** Only this resource ("<type>.<logical id>"). @default - every resource the rule flags */
  readonly resource?: string;
  /** Only resources of this stack. @default - every stack */
  readonly stack?: string;
  /**
   * Only resources that came from this config path or from below it, such as
   * "service.endpointService.allowedPrincipals[0]" or "consumers[1].allowFrom". @default - any
   */
  readonly config?: string;
}

export interface CheckOptions {
  /** Accepted findings, each with its reason. @default - none */
  readonly suppressions?: readonly Suppression[];
  /** Known-good values that loosen rules. @default - none */
  readonly allow?: RuleAllowances;
  /** Where each resource came from: stack name -> resource address -> origin. @default - unknown */
  readonly origins?: Readonly<Record<string, Readonly<Record<string, ResourceOrigin>>>>;
}
