# modules/endpoint-private-dns with a mocked AWS provider.

mock_provider "aws" {}

variables {
  endpoint_id = "vpce-0aaaaaaaaaaaaaaaa"
}

run "turns_private_dns_on_by_default" {
  command = plan

  assert {
    condition     = aws_vpc_endpoint_private_dns.private_dns.private_dns_enabled && aws_vpc_endpoint_private_dns.private_dns.vpc_endpoint_id == "vpce-0aaaaaaaaaaaaaaaa"
    error_message = "expected private DNS on for the endpoint"
  }
}

run "turns_it_off_when_asked_and_outputs_it" {
  variables {
    enabled = false
  }

  assert {
    condition     = !output.private_dns_enabled && output.endpoint_id == "vpce-0aaaaaaaaaaaaaaaa"
    error_message = "expected private DNS off"
  }
}

run "refuses_an_id_that_is_not_an_endpoint" {
  command = plan

  variables {
    endpoint_id = "vpce-svc-0123456789abcdef0"
  }

  expect_failures = [var.endpoint_id]
}
