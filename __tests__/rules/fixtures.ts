import { Compliance, Rule, RuleAllowances, RuleResult, createRuleContext } from "../../rules";

// Small hand-written cdk.tf.json fixtures for the rule tests.

/** "${<type>.<id>.<attribute>}" */
export const ref = (type: string, id: string, attribute = "id"): string => `\${${type}.${id}.${attribute}}`;

/** A stack's cdk.tf.json holding these resources (type -> logical id -> attributes). */
export function stack(resource: Record<string, Record<string, any>>, extra: Record<string, any> = {}): Record<string, any> {
  return { resource, ...extra };
}

export function check(rule: Rule, stacks: Record<string, any>, allow?: RuleAllowances): RuleResult[] {
  return rule.check(createRuleContext(stacks, allow));
}

/** "<stack>/<resource>" -> compliance, for every resource the rule answered for. */
export function complianceOf(rule: Rule, stacks: Record<string, any>, allow?: RuleAllowances): Record<string, Compliance> {
  return Object.fromEntries(check(rule, stacks, allow).map((r) => [`${r.stack}/${r.resource}`, r.compliance]));
}

/** The detail of the one non-compliant result of a rule. */
export function detailOf(rule: Rule, stacks: Record<string, any>, allow?: RuleAllowances): string | undefined {
  const found = check(rule, stacks, allow).filter((r) => r.compliance === Compliance.NON_COMPLIANT);
  if (found.length !== 1) throw new Error(`expected one non-compliant result, got ${found.length}`);
  return found[0].detail;
}

/** A provider stack: an internal NLB with listeners on these ports behind an endpoint service. */
export function providerStack(listeners: { port: unknown; protocol?: string }[] = [{ port: 443, protocol: "TCP" }]): Record<string, any> {
  return stack({
    aws_lb: { Nlb: { load_balancer_type: "network", internal: true, enable_deletion_protection: true, security_groups: [ref("aws_security_group", "NlbSg")] } },
    aws_lb_listener: Object.fromEntries(
      listeners.map((l, i) => [`Listener${i}`, { load_balancer_arn: ref("aws_lb", "Nlb", "arn"), port: l.port, protocol: l.protocol ?? "TCP" }]),
    ),
    aws_vpc_endpoint_service: {
      Service: { acceptance_required: true, network_load_balancer_arns: [ref("aws_lb", "Nlb", "arn")], private_dns_name: "api.example.com" },
    },
  });
}

/** A consumer stack: an interface endpoint guarded by security group Sg, plus extra resources. */
export function consumerStack(extra: Record<string, Record<string, any>> = {}): Record<string, any> {
  return stack({
    aws_security_group: { Sg: { description: "endpoint" } },
    aws_vpc_endpoint: {
      Endpoint: {
        vpc_endpoint_type: "Interface",
        service_name: "${data.terraform_remote_state.provider.outputs.service_name}",
        security_group_ids: [ref("aws_security_group", "Sg")],
      },
    },
    ...extra,
  });
}

/** An ingress rule on the endpoint's group Sg. */
export function ingress(attributes: Record<string, any>): Record<string, any> {
  return { security_group_id: ref("aws_security_group", "Sg"), ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.1.0.0/16", ...attributes };
}
