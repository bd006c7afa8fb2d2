import { Rule } from "../rule";
import { compliant, nonCompliant, referencedId } from "../terraform-json";

const rule: Rule = {
  id: "PL-VPC1",
  level: "warning",
  resourceType: "aws_vpc",
  reason: "A VPC the project creates records its traffic in flow logs, so a connection to the service or the endpoint can be traced.",
  fix: "Keep the default flow logs of created networks (network.create.flowLogs picks the destination); to go without, set network.create.withoutFlowLogs.reason.",
  check: (ctx) =>
    ctx.resources("aws_vpc").map((vpc) => {
      const logged = ctx.resources("aws_flow_log", vpc.stack).some((log) => referencedId(log.config.vpc_id, "aws_vpc") === vpc.id);
      return logged ? compliant(vpc) : nonCompliant(vpc, "no aws_flow_log records this VPC's traffic");
    }),
};
export default rule;
