import { Construct } from "constructs";
import { DualStackNlb, DualStackNlbProps } from "../modules/dual-stack-nlb";
import { EndpointService } from "../modules/endpoint-service";
import { HelloWorldInstance } from "../modules/hello-world-instance";
import type { PrivateLinkConfig } from "./config";
import { stackNetwork } from "./network";
import { PrivateLinkStack } from "./privatelink-stack";
import { StackContext } from "./state";

export const PROVIDER_STACK = "provider";

/** The load balancer's props as the config describes them; the preflight checks judge the same. */
export function loadBalancerProps(config: PrivateLinkConfig, network: { vpcId: string; subnetIds: string[] }, targetIds: string[]): DualStackNlbProps {
  const lb = config.service.loadBalancer;
  return {
    name: lb.name ?? `${config.name}-nlb`,
    vpcId: network.vpcId,
    subnetIds: network.subnetIds,
    ipAddressType: lb.ipAddressType,
    listeners: lb.listeners,
    target: {
      type: lb.target.type,
      port: lb.target.port,
      ipAddressType: lb.target.ipAddressType,
      ids: targetIds,
      healthCheck: lb.target.healthCheck,
      proxyProtocolV2: lb.proxyProtocolV2,
      preserveClientIp: lb.target.preserveClientIp,
      deregistrationDelaySeconds: lb.target.deregistrationDelaySeconds,
    },
    crossZoneEnabled: lb.crossZone,
    deletionProtection: lb.deletionProtection,
    securityGroupIds: lb.securityGroupIds,
    accessLogs: lb.accessLogs,
  };
}

/** Stage 1, provider account: the dual-stack NLB, its targets and the endpoint service. */
export class ProviderStack extends PrivateLinkStack {
  readonly nlb: DualStackNlb;
  readonly endpointService: EndpointService;

  constructor(scope: Construct, config: PrivateLinkConfig, context: StackContext) {
    super(scope, PROVIDER_STACK, config.service.account, context);
    const svc = config.service;
    const lb = svc.loadBalancer;
    const network = stackNetwork(this, svc.network, `${config.name}-provider`);

    const targetIds = [...lb.target.ids];
    if (lb.target.demoInstance) {
      const demo = new HelloWorldInstance(this, "DemoTarget", {
        vpcId: network.vpcId,
        subnetId: network.subnetIds[0],
        allowFromIpv4Cidr: network.ipv4Cidr,
        allowFromIpv6Cidr: network.ipv6Cidr,
        port: lb.target.port ?? lb.listeners[0].port,
        proxyProtocolV2: lb.proxyProtocolV2,
        instanceType: lb.target.demoInstance.instanceType,
        amiId: lb.target.demoInstance.amiId,
      });
      targetIds.push(demo.instanceId);
    }

    this.nlb = new DualStackNlb(this, "LoadBalancer", loadBalancerProps(config, network, targetIds));

    const es = svc.endpointService;
    this.endpointService = new EndpointService(this, "EndpointService", {
      networkLoadBalancerArns: [this.nlb.loadBalancerArn],
      acceptanceRequired: es.acceptanceRequired,
      allowedPrincipals: es.allowedPrincipals,
      supportedIpAddressTypes: es.supportedIpAddressTypes,
      privateDnsName: es.privateDnsName,
      supportedRegions: es.supportedRegions.length > 0 ? es.supportedRegions : undefined,
      connectionNotification: es.connectionNotification,
    });

    const service = this.endpointService;
    this.output({
      service_id: service.serviceId,
      service_name: service.serviceName,
      service_arn: service.serviceArn,
      service_type: service.serviceType,
      supported_ip_address_types: service.supportedIpAddressTypes,
      availability_zones: service.availabilityZones,
      private_dns_name: es.privateDnsName ?? "",
      private_dns_verification_name: service.privateDnsVerificationName,
      private_dns_verification_value: service.privateDnsVerificationValue,
      private_dns_verification_type: service.privateDnsVerificationType,
      nlb_arn: this.nlb.loadBalancerArn,
      nlb_dns_name: this.nlb.dnsName,
    });
  }
}
