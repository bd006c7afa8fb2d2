import { Rule } from "../rule";
import { compliant, isUnresolved, nonCompliant, notApplicable, show } from "../terraform-json";

// ELB security policies whose minimum protocol is TLS 1.2 (FIPS variants included).
const TLS12_OR_LATER = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

const rule: Rule = {
  id: "PL-NLB3",
  level: "warning",
  resourceType: "aws_lb_listener",
  reason: "TLS listeners must refuse TLS 1.0 and 1.1.",
  fix: "Set the listener's sslPolicy to a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06 (the construct's default).",
  check: (ctx) =>
    ctx.resources("aws_lb_listener").map((listener) => {
      const policy = listener.config.ssl_policy;
      if (listener.config.protocol !== "TLS" || isUnresolved(policy)) return notApplicable(listener);
      return typeof policy === "string" && TLS12_OR_LATER.test(policy)
        ? compliant(listener)
        : nonCompliant(listener, `ssl_policy is ${show(policy)}: use ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy`);
    }),
};
export default rule;
