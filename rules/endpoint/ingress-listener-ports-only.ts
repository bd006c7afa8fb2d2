import { describePorts, endpointSecurityGroups, listenerPorts, normalizeProtocol, permissionHolders, Permission, PortProtocol } from "../privatelink-resources";
import { Rule } from "../rule";
import { compliant, isUnresolved, nonCompliant, notApplicable, show } from "../terraform-json";

/** What is wrong with one ingress permission, "" when it is fine, undefined when it cannot be judged. */
function problemOf(p: Permission, ports: Map<number, Set<PortProtocol>>): string | undefined {
  const at = p.where === "" ? "" : `${p.where}: `;
  if (isUnresolved(p.ipProtocol) || isUnresolved(p.fromPort) || isUnresolved(p.toPort)) return undefined;
  const protocol = normalizeProtocol(p.ipProtocol);
  if (protocol === "all") return `${at}every protocol and port is open (ip_protocol ${show(p.ipProtocol)})`;
  if (protocol !== "tcp" && protocol !== "udp") return `${at}protocol ${show(p.ipProtocol)} is not a listener protocol`;
  const from = Number(p.fromPort);
  const to = Number(p.toPort);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from > to) {
    return `${at}port range ${show(p.fromPort)}-${show(p.toPort)} is not a listener port`;
  }
  for (let port = from; port <= to; port++) {
    if (!ports.get(port)?.has(protocol)) {
      const range = from === to ? `${from}` : `${from}-${to}`;
      return `${at}${protocol.toUpperCase()} ${range} is not a listener port`;
    }
  }
  return "";
}

const rule: Rule = {
  id: "PL-EP1",
  level: "error",
  resourceType: "aws_vpc_security_group_ingress_rule",
  reason: "An endpoint's security group lets clients in on the service's listener ports only.",
  fix: "Open only the listener ports (the ConsumerEndpoint construct does); serve other ports from a listener, or name them in allow.ingressPorts.",
  check: (ctx) => {
    const ports = listenerPorts(ctx);
    const groups = endpointSecurityGroups(ctx, { privateLinkOnly: true });
    return permissionHolders(ctx, "ingress", groups).map((holder) => {
      if (holder.endpointGroup === undefined || holder.permissions.length === 0 || ports.size === 0) return notApplicable(holder);
      const problems = holder.permissions.map((p) => problemOf(p, ports));
      const found = problems.filter((p): p is string => p !== undefined && p !== "");
      if (found.length > 0) return nonCompliant(holder, `${found.join("; ")} (listener ports: ${describePorts(ports)})`);
      return problems.includes(undefined) ? notApplicable(holder) : compliant(holder);
    });
  },
};
export default rule;
