# modules/service with a mocked AWS provider: no credentials, no AWS calls.

mock_provider "aws" {
  # ARNs that other resources take are checked by the provider: mocks give well-formed ones.
  mock_resource "aws_lb" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/net/orders/0123456789abcdef"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/tf-orders/0123456789abcdef"
    }
  }
  mock_data "aws_vpc" {
    defaults = {
      cidr_block      = "10.0.0.0/16"
      ipv6_cidr_block = "2001:db8:1234:1a00::/56"
    }
  }
}

variables {
  name       = "orders"
  vpc_id     = "vpc-0123456789abcdef0"
  subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  listeners = {
    https = { port = 443, target = { port = 8443, ids = ["i-0123456789abcdef0", "i-0123456789abcdef1"] } }
    dns   = { port = 53, protocol = "TCP_UDP", target = { health_check = { port = 8080 } } }
  }
  allowed_principals = ["arn:aws:iam::222222222222:root"]
}

run "plans_an_internal_dual_stack_load_balancer_a_service_that_requires_acceptance_and_listeners_keyed_by_name" {
  command = plan

  assert {
    condition     = aws_lb.load_balancer.internal && aws_lb.load_balancer.load_balancer_type == "network" && aws_lb.load_balancer.ip_address_type == "dualstack"
    error_message = "expected an internal dual-stack network load balancer"
  }
  assert {
    condition     = aws_lb.load_balancer.enable_deletion_protection && aws_lb.load_balancer.name == "orders"
    error_message = "expected deletion protection and the given name"
  }
  assert {
    condition     = aws_vpc_endpoint_service.service.acceptance_required && aws_vpc_endpoint_service.service.supported_ip_address_types == toset(["ipv4"])
    error_message = "expected acceptance required and IPv4 by default"
  }
  assert {
    condition     = keys(aws_vpc_endpoint_service_allowed_principal.allowed_principal) == ["arn:aws:iam::222222222222:root"]
    error_message = "expected one allowed principal, keyed by its ARN"
  }
  assert {
    condition     = length(aws_vpc_endpoint_connection_notification.connection_notification) == 0
    error_message = "expected no notification without a topic"
  }

  assert {
    condition     = aws_lb_listener.listener["https"].port == 443 && aws_lb_listener.listener["https"].protocol == "TCP" && aws_lb_listener.listener["dns"].protocol == "TCP_UDP"
    error_message = "expected one listener per name with its port and protocol"
  }
  assert {
    condition     = aws_lb_target_group.target_group["https"].port == 8443 && aws_lb_target_group.target_group["dns"].port == 53
    error_message = "expected the target port, or the listener port by default"
  }
  assert {
    condition     = aws_lb_target_group.target_group["https"].tags["Name"] == "orders-https" && !aws_lb_target_group.target_group["https"].proxy_protocol_v2
    error_message = "expected a Name tag <name>-<listener> and proxy protocol off by default"
  }
  assert {
    condition     = toset(keys(aws_lb_target_group_attachment.target)) == toset(["https/i-0123456789abcdef0", "https/i-0123456789abcdef1"]) && aws_lb_target_group_attachment.target["https/i-0123456789abcdef1"].port == 8443
    error_message = "expected one attachment per listener and target, on the target port"
  }
  assert {
    condition     = toset(keys(aws_vpc_security_group_egress_rule.egress)) == toset(["https/tcp", "dns/tcp", "dns/udp", "dns/health/tcp"])
    error_message = "expected egress to the targets per IP protocol, and to the health check port when it differs"
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.egress["dns/health/tcp"].from_port == 8080 && aws_vpc_security_group_egress_rule.egress["https/tcp"].cidr_ipv4 == "10.0.0.0/16"
    error_message = "expected the health check port, to the VPC's CIDR"
  }
}

run "applies_and_outputs_what_the_other_modules_take" {
  assert {
    condition     = output.listener_ports == { https = { port = 443, protocol = "TCP" }, dns = { port = 53, protocol = "TCP_UDP" } }
    error_message = "expected listener name -> { port, protocol }"
  }
  assert {
    condition     = output.service_name == aws_vpc_endpoint_service.service.service_name && output.service_id == aws_vpc_endpoint_service.service.id
    error_message = "expected the service's name and id"
  }
  assert {
    condition     = output.target_group_arns["https"] == aws_lb_target_group.target_group["https"].arn && output.security_group_id == aws_security_group.security_group.id
    error_message = "expected the target group ARNs by listener and the load balancer's group"
  }
  assert {
    condition     = output.private_dns_verification_name == "" && output.private_dns_name == null
    error_message = "expected no verification challenge without a private DNS name"
  }
}

run "moves_a_port_on_the_same_listener_address" {
  command = plan

  variables {
    listeners = {
      https = { port = 8443, target = { port = 9443 } }
    }
  }

  assert {
    condition     = keys(aws_lb_listener.listener) == ["https"] && aws_lb_listener.listener["https"].port == 8443 && aws_lb_target_group.target_group["https"].port == 9443
    error_message = "expected the moved port under the same listener key"
  }
}

run "sends_notifications_and_allows_more_regions_when_asked" {
  command = plan

  variables {
    connection_notification    = { topic_arn = "arn:aws:sns:us-west-2:111111111111:privatelink-events" }
    supported_regions          = ["us-east-1"]
    supported_ip_address_types = ["ipv4", "ipv6"]
    private_dns_name           = "api.example.com"
  }

  assert {
    condition     = length(aws_vpc_endpoint_connection_notification.connection_notification) == 1 && length(aws_vpc_endpoint_connection_notification.connection_notification[0].connection_events) == 4
    error_message = "expected a notification of all four events"
  }
  assert {
    condition     = aws_vpc_endpoint_service.service.supported_regions == toset(["us-east-1"]) && aws_vpc_endpoint_service.service.private_dns_name == "api.example.com"
    error_message = "expected the supported regions and the private DNS name"
  }
}

run "refuses_a_tls_listener_without_a_certificate" {
  command = plan

  variables {
    listeners = { tls = { port = 443, protocol = "TLS" } }
  }

  expect_failures = [var.listeners]
}

run "refuses_a_port_out_of_range_and_a_port_twice" {
  command = plan

  variables {
    listeners = { a = { port = 70000 }, b = { port = 70000 } }
  }

  expect_failures = [var.listeners]
}

run "refuses_ipv6_consumers_on_an_ipv4_load_balancer" {
  command = plan

  variables {
    ip_address_type            = "ipv4"
    supported_ip_address_types = ["ipv4", "ipv6"]
  }

  expect_failures = [var.supported_ip_address_types]
}

run "refuses_a_principal_that_is_not_an_arn_and_a_bad_subnet" {
  command = plan

  variables {
    allowed_principals = ["222222222222"]
    subnet_ids         = ["subnet-1"]
  }

  expect_failures = [var.allowed_principals, var.subnet_ids]
}

run "refuses_target_ids_that_do_not_match_the_target_type" {
  command = plan

  variables {
    listeners = {
      https = { port = 443, target = { ids = ["10.0.0.5"] } }
      api   = { port = 8443, target = { type = "ip", ids = ["i-0123456789abcdef0"] } }
    }
  }

  expect_failures = [var.listeners]
}
