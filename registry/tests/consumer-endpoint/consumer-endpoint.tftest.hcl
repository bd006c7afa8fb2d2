# modules/consumer-endpoint with a mocked AWS provider: the service serves two zones, and each
# subnet is in the first one unless a run says otherwise.

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = {
      names    = ["us-west-2a", "us-west-2b"]
      zone_ids = ["usw2-az1", "usw2-az2"]
    }
  }
  mock_data "aws_vpc_endpoint_service" {
    defaults = {
      availability_zones = ["us-west-2a", "us-west-2b"]
    }
  }
  mock_data "aws_subnet" {
    defaults = {
      availability_zone    = "us-west-2a"
      availability_zone_id = "usw2-az1"
    }
  }
}

variables {
  service_name               = "com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0"
  vpc_id                     = "vpc-0fedcba9876543210"
  subnet_ids                 = ["subnet-0fedcba9876543210", "subnet-0fedcba9876543211"]
  ports                      = { https = { port = 443 }, dns = { port = 53, protocol = "TCP_UDP" } }
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  allowed_ipv4_cidrs         = ["10.1.0.0/16"]
}

run "admits_only_the_clients_on_the_service_ports_through_an_ipv4_interface_endpoint_with_private_dns_off" {
  command = plan

  assert {
    condition = toset(keys(aws_vpc_security_group_ingress_rule.ingress)) == toset([
      "https/tcp/sg-0123456789abcdef0", "https/tcp/10.1.0.0/16",
      "dns/tcp/sg-0123456789abcdef0", "dns/tcp/10.1.0.0/16", "dns/udp/sg-0123456789abcdef0", "dns/udp/10.1.0.0/16",
    ])
    error_message = "expected one rule per port, IP protocol and client, keyed by them"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.ingress["https/tcp/sg-0123456789abcdef0"].referenced_security_group_id == "sg-0123456789abcdef0" && aws_vpc_security_group_ingress_rule.ingress["https/tcp/sg-0123456789abcdef0"].from_port == 443
    error_message = "expected the client group on port 443"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.ingress["dns/udp/10.1.0.0/16"].cidr_ipv4 == "10.1.0.0/16" && aws_vpc_security_group_ingress_rule.ingress["dns/udp/10.1.0.0/16"].ip_protocol == "udp"
    error_message = "expected the client CIDR over UDP on a TCP_UDP port"
  }

  assert {
    condition     = aws_vpc_endpoint.endpoint.vpc_endpoint_type == "Interface" && aws_vpc_endpoint.endpoint.ip_address_type == "ipv4" && aws_vpc_endpoint.endpoint.dns_options[0].dns_record_ip_type == "ipv4"
    error_message = "expected an IPv4 interface endpoint with A records"
  }
  assert {
    condition     = !aws_vpc_endpoint.endpoint.private_dns_enabled && aws_vpc_endpoint.endpoint.subnet_ids == toset(var.subnet_ids)
    error_message = "expected private DNS off and the given subnets"
  }
}

run "dual_stack_endpoints_get_a_and_aaaa_records_and_admit_ipv6_clients" {
  command = plan

  variables {
    ip_address_type    = "dualstack"
    allowed_ipv6_cidrs = ["2001:db8:1234::/56"]
  }

  assert {
    condition     = aws_vpc_endpoint.endpoint.ip_address_type == "dualstack" && aws_vpc_endpoint.endpoint.dns_options[0].dns_record_ip_type == "dualstack"
    error_message = "expected a dual-stack endpoint with A and AAAA records"
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.ingress["https/tcp/2001:db8:1234::/56"].cidr_ipv6 == "2001:db8:1234::/56"
    error_message = "expected the IPv6 client"
  }
}

run "applies_and_outputs_the_endpoint" {
  assert {
    condition     = output.endpoint_id == aws_vpc_endpoint.endpoint.id && output.security_group_id == aws_security_group.security_group.id
    error_message = "expected the endpoint id and its group"
  }
  assert {
    condition     = length(aws_security_group.security_group.egress) == 0 && aws_vpc_endpoint.endpoint.security_group_ids == toset([aws_security_group.security_group.id])
    error_message = "expected the endpoint's own group alone, with no egress rule"
  }
}

run "moves_a_port_on_the_same_rule_addresses" {
  command = plan

  variables {
    ports = { https = { port = 8443 }, dns = { port = 53, protocol = "TCP_UDP" } }
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.ingress["https/tcp/10.1.0.0/16"].from_port == 8443
    error_message = "expected the moved port under the same rule key"
  }
}

run "refuses_subnets_in_zones_the_service_does_not_serve" {
  command = plan

  override_data {
    target = data.aws_subnet.subnet
    values = {
      availability_zone    = "us-west-2d"
      availability_zone_id = "usw2-az4"
    }
  }

  expect_failures = [aws_vpc_endpoint.endpoint]
}

run "refuses_the_whole_internet_unless_allowed" {
  command = plan

  variables {
    allowed_ipv4_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.allowed_ipv4_cidrs]
}

run "admits_the_whole_internet_when_allowed" {
  command = plan

  variables {
    allowed_ipv4_cidrs = ["0.0.0.0/0"]
    allow_any_address  = true
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.ingress["https/tcp/0.0.0.0/0"].cidr_ipv4 == "0.0.0.0/0"
    error_message = "expected 0.0.0.0/0 when allow_any_address is set"
  }
}

run "refuses_ipv6_clients_of_an_ipv4_endpoint_and_a_host_address" {
  command = plan

  variables {
    allowed_ipv6_cidrs = ["2001:db8::/56"]
    allowed_ipv4_cidrs = ["10.1.2.3/16"]
  }

  expect_failures = [var.allowed_ipv6_cidrs, var.allowed_ipv4_cidrs]
}

run "refuses_an_endpoint_nobody_may_reach_and_aaaa_records_on_ipv4" {
  command = plan

  variables {
    allowed_security_group_ids = []
    allowed_ipv4_cidrs         = []
    dns_record_ip_type         = "ipv6"
  }

  expect_failures = [var.allowed_security_group_ids, var.dns_record_ip_type]
}

run "refuses_bad_port_names_and_one_block_in_two_spellings" {
  command = plan

  variables {
    ip_address_type    = "dualstack"
    allowed_ipv6_cidrs = ["2001:DB8:1234:0::/56", "2001:db8:1234::/56"]
    ports              = { "https port" = { port = 443 } }
  }

  expect_failures = [var.ports, var.allowed_ipv6_cidrs]
}

run "accepts_an_ipv6_block_written_another_way" {
  command = plan

  variables {
    ip_address_type    = "dualstack"
    allowed_ipv6_cidrs = ["2001:DB8:1234:0::/56"]
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.ingress["https/tcp/2001:db8:1234::/56"].cidr_ipv6 == "2001:DB8:1234:0::/56"
    error_message = "expected the block as written, keyed by its canonical text"
  }
}
