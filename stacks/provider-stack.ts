import { Construct } from "constructs";
import { DualStackNlb } from "../modules/dual-stack-nlb";
import { EndpointService } from "../modules/endpoint-service";
import { HelloWorldInstance } from "../modules/hello-world-instance";
import type { PrivateLinkConfig } from "../config/schema";
import { stackNetwork } from "./network";
import { PrivateLinkStack } from "./privatelink-stack";
import { loadBalancerProps } from "../config/to-props";
import { fromConfig } from "./config-origin";
import { StackContext } from "./state";

export const PROVIDER_STACK = "provider";

/** Stage 1, provider account: the dual-stack NLB, its targets and the endpoint service. */
export class ProviderStack extends PrivateLinkStack {
  readonly nlb: DualStackNlb;
  readonly endpointService: EndpointService;

  constructor(scope: Construct, config: PrivateLinkConfig, context: StackContext) {
    super(scope, PROVIDER_STACK, config.service.account, context);
    const svc = config.service;
    const lb = svc.loadBalancer;
    const network = stackNetwork(this, svc.network, svc.account.region, `${config.name}-provider`, "service.network");

    const targetIds = [...lb.target.ids];
    const demo = lb.target.demoInstance
      ? new HelloWorldInstance(this, "DemoTarget", {
          vpcId: network.vpcId,
          subnetId: network.subnetIds[0],
          port: lb.target.port ?? lb.listeners[0].port,
          proxyProtocolV2: lb.proxyProtocolV2,
          instanceType: lb.target.demoInstance.instanceType,
          amiId: lb.target.demoInstance.amiId,
        })
      : undefined;
    if (demo) {
      fromConfig(demo, "service.loadBalancer.target.demoInstance");
      targetIds.push(demo.instanceId);
    }

    this.nlb = fromConfig(new DualStackNlb(this, "LoadBalancer", { ...loadBalancerProps(config, network, targetIds), vpcCidrs: { ipv4: network.ipv4Cidr, ipv6: network.ipv6Cidr } }), "service.loadBalancer");
    this.nlb.listeners.forEach((l, i) => fromConfig(l, `service.loadBalancer.listeners[${i}]`));
    this.nlb.targetGroups.forEach((tg, i) => fromConfig(tg, `service.loadBalancer.listeners[${i}]`));
    if (demo) {
      // Only the load balancer reaches the demo target; without a group of its own, its VPC does.
      if (this.nlb.securityGroupId) demo.allowFrom(this.nlb.securityGroupId);
      else demo.allowFromCidrs(network.ipv4Cidr, network.ipv6Cidr);
    }

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
    fromConfig(this.endpointService, "service.endpointService");
    this.endpointService.allowedPrincipals.forEach((a, i) => fromConfig(a, `service.endpointService.allowedPrincipals[${i}]`, es.allowedPrincipals[i]));
    if (this.endpointService.notification) fromConfig(this.endpointService.notification, "service.endpointService.connectionNotification");

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
