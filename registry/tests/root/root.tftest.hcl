# The root module (the single-account flow) with a mocked AWS provider.

mock_provider "aws" {
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
  mock_resource "aws_vpc_endpoint_service" {
    defaults = {
      id                             = "vpce-svc-0123456789abcdef0"
      service_name                   = "com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0"
      private_dns_name_configuration = [{ name = "_0123abcd", type = "TXT", value = "vpce:0123456789abcdefghij", state = "pendingVerification" }]
    }
  }
  mock_resource "aws_vpc_endpoint" {
    defaults = {
      id = "vpce-0aaaaaaaaaaaaaaaa"
    }
  }
  mock_data "aws_vpc" {
    defaults = {
      cidr_block = "10.0.0.0/16"
    }
  }
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
      availability_zone_id = "usw2-az1"
    }
  }
}

variables {
  name                = "orders"
  vpc_id              = "vpc-0123456789abcdef0"
  subnet_ids          = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  listeners           = { https = { port = 443 } }
  consumer_vpc_id     = "vpc-0fedcba9876543210"
  consumer_subnet_ids = ["subnet-0fedcba9876543210"]
  allowed_ipv4_cidrs  = ["10.1.0.0/16"]
  private_dns_name    = "api.example.com"
  hosted_zone_id      = "Z0123456789ABCDEFGHIJ"
}

run "runs_the_whole_flow_with_acceptance_and_private_dns" {
  assert {
    condition     = length(module.dns_verification) == 1 && length(module.acceptance) == 1 && length(module.private_dns) == 1
    error_message = "expected the verification, the acceptance and the private DNS step"
  }
  assert {
    condition     = output.private_dns_verification_record == { name = "_0123abcd.api.example.com", type = "TXT", value = "vpce:0123456789abcdefghij" }
    error_message = "expected the TXT record from the service's own challenge"
  }
  assert {
    condition     = module.acceptance[0].accepted_endpoint_ids["consumer"] == output.endpoint_id && module.private_dns[0].private_dns_enabled
    error_message = "expected the consumer's endpoint accepted, then private DNS on"
  }
  assert {
    condition     = output.service_name == "com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0" && output.listener_ports["https"].port == 443
    error_message = "expected the service name and its ports"
  }
}

run "without_acceptance_private_dns_is_on_from_creation" {
  command = plan

  variables {
    acceptance_required = false
  }

  assert {
    condition     = length(module.acceptance) == 0 && length(module.private_dns) == 0
    error_message = "expected no acceptance and no separate private DNS step"
  }
}

run "without_a_private_dns_name_nothing_is_verified" {
  command = plan

  variables {
    private_dns_name = null
    hosted_zone_id   = null
  }

  assert {
    condition     = length(module.dns_verification) == 0 && length(module.private_dns) == 0 && length(module.acceptance) == 1
    error_message = "expected acceptance only"
  }
}

run "verifies_in_a_zone_found_by_name" {
  command = plan

  variables {
    hosted_zone_id   = null
    hosted_zone_name = "example.com"
  }

  assert {
    condition     = length(module.dns_verification) == 1
    error_message = "expected the verification with the zone named"
  }
}

run "refuses_a_private_dns_name_without_a_zone" {
  command = plan

  variables {
    hosted_zone_id = null
  }

  expect_failures = [var.hosted_zone_id]
}
