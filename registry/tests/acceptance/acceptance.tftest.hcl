# modules/acceptance with a mocked AWS provider.

mock_provider "aws" {}

variables {
  service_id   = "vpce-svc-0123456789abcdef0"
  endpoint_ids = { orders = "vpce-0aaaaaaaaaaaaaaaa", reports = "vpce-0bbbbbbbbbbbbbbbb" }
}

run "accepts_each_endpoint_keyed_by_its_name" {
  command = plan

  assert {
    condition     = toset(keys(aws_vpc_endpoint_connection_accepter.accept)) == toset(["orders", "reports"]) && aws_vpc_endpoint_connection_accepter.accept["reports"].vpc_endpoint_id == "vpce-0bbbbbbbbbbbbbbbb"
    error_message = "expected one accepter per endpoint, keyed by name"
  }
  assert {
    condition     = aws_vpc_endpoint_connection_accepter.accept["orders"].vpc_endpoint_service_id == "vpce-svc-0123456789abcdef0"
    error_message = "expected the given service"
  }
}

run "applies_and_outputs_the_accepted_ids" {
  assert {
    condition     = length(output.accepted_endpoint_ids) == 2 && output.accepted_endpoint_ids["orders"] == "vpce-0aaaaaaaaaaaaaaaa" && output.accepted_endpoint_ids["reports"] == "vpce-0bbbbbbbbbbbbbbbb"
    error_message = "expected name -> accepted endpoint id"
  }
}

run "a_removed_consumer_leaves_the_others_alone" {
  command = plan

  variables {
    endpoint_ids = { reports = "vpce-0bbbbbbbbbbbbbbbb" }
  }

  assert {
    condition     = keys(aws_vpc_endpoint_connection_accepter.accept) == ["reports"]
    error_message = "expected the remaining endpoint under its own key"
  }
}

run "refuses_no_endpoint_and_bad_names_or_ids" {
  command = plan

  variables {
    endpoint_ids = { "a b" = "vpc-1" }
  }

  expect_failures = [var.endpoint_ids]
}
