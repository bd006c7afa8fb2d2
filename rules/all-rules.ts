import dnsNoPublicRecord from "./dns/no-public-record-for-private-dns-name";
import endpointSecurityGroup from "./endpoint/endpoint-security-group";
import ingressListenerPortsOnly from "./endpoint/ingress-listener-ports-only";
import noEgress from "./endpoint/no-egress";
import noOpenIngress from "./endpoint/no-open-ingress";
import acceptanceRequired from "./endpoint-service/acceptance-required";
import noWildcardPrincipal from "./endpoint-service/no-wildcard-principal";
import nlbDeletionProtection from "./load-balancer/nlb-deletion-protection";
import nlbInternal from "./load-balancer/nlb-internal";
import nlbSecurityGroup from "./load-balancer/nlb-security-group";
import tlsListenerPolicy from "./load-balancer/tls-listener-policy";
import vpcFlowLogs from "./network/vpc-flow-logs";
import { Rule } from "./rule";
import s3StateEncryptedLocked from "./state/s3-state-encrypted-locked";

/** Every security rule, in the order findings and RULES.md list them. */
export const ALL_RULES: readonly Rule[] = [
  nlbInternal,
  nlbDeletionProtection,
  tlsListenerPolicy,
  nlbSecurityGroup,
  acceptanceRequired,
  noWildcardPrincipal,
  ingressListenerPortsOnly,
  noOpenIngress,
  noEgress,
  endpointSecurityGroup,
  s3StateEncryptedLocked,
  dnsNoPublicRecord,
  vpcFlowLogs,
];
