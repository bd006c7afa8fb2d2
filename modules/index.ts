// The package root: the constructs, their props and enums, and the error they throw. Named one
// by one, so that the helpers the constructs share (prop checks, address keys, placement) stay
// internal: the config loader imports them from their own files.
export { DualStackNlb, LoadBalancerIpAddressType } from "./dual-stack-nlb";
export type { DualStackNlbProps, NlbListenerProps, NlbAccessLogs } from "./dual-stack-nlb";
export { NetworkListener, ListenerProtocol, TargetType, TargetIpAddressType, HealthCheckProtocol } from "./network-listener";
export type { NetworkListenerProps, ListenerSettings, ListenerPort, NlbHealthCheck, NlbTargetProps, NlbDirectClients, NlbVpcCidrs } from "./network-listener";
export { EndpointService, ServiceIpAddressType, ConnectionEvent } from "./endpoint-service";
export type { EndpointServiceProps, EndpointServiceOptions, ConnectionNotificationProps } from "./endpoint-service";
export { PrivateDnsVerification } from "./private-dns-verification";
export type { PrivateDnsVerificationProps, ServiceDomainVerificationProps, VerificationHostedZone } from "./private-dns-verification";
export { ConsumerEndpoint, EndpointIpAddressType, DnsRecordIpType } from "./consumer-endpoint";
export type { ConsumerEndpointProps, ConsumerEndpointOptions, EndpointPort, EndpointAllowFrom, IngressRuleSource } from "./consumer-endpoint";
export { ConnectionAccepter } from "./connection-accepter";
export type { ConnectionAccepterProps } from "./connection-accepter";
export { EndpointPrivateDns } from "./endpoint-private-dns";
export type { EndpointPrivateDnsProps } from "./endpoint-private-dns";
export { DualStackVpc, FlowLogDestination, FlowLogTrafficType } from "./dual-stack-vpc";
export type { DualStackVpcProps, VpcFlowLogs } from "./dual-stack-vpc";
export { HelloWorldInstance } from "./hello-world-instance";
export type { HelloWorldInstanceProps } from "./hello-world-instance";
export { PrivateLinkService } from "./privatelink-service";
export type { PrivateLinkServiceProps } from "./privatelink-service";
export { PrivateLinkConsumer } from "./privatelink-consumer";
export type { PrivateLinkConsumerProps } from "./privatelink-consumer";
export { ReplacementTrigger } from "./replacement-trigger";
export { PropsError } from "./validation";
export type { Problem } from "./validation";
