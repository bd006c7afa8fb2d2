# modules/private-dns-verification with a mocked AWS provider.

mock_provider "aws" {
  mock_data "aws_route53_zone" {
    defaults = {
      zone_id = "Z9876543210ZYXWVUTSRQ"
    }
  }
}

variables {
  service_id         = "vpce-svc-0123456789abcdef0"
  private_dns_name   = "*.api.example.com"
  verification_name  = "_0123abcd"
  verification_value = "vpce:0123456789abcdefghij"
  hosted_zone_id     = "Z0123456789ABCDEFGHIJ"
}

run "writes_the_txt_record_from_the_challenge_then_verifies" {
  command = plan

  assert {
    condition     = aws_route53_record.verification_record.name == "_0123abcd.api.example.com" && aws_route53_record.verification_record.type == "TXT"
    error_message = "expected the TXT record under the name without its wildcard"
  }
  assert {
    condition     = aws_route53_record.verification_record.records == toset(["vpce:0123456789abcdefghij"]) && aws_route53_record.verification_record.ttl == 300 && aws_route53_record.verification_record.zone_id == "Z0123456789ABCDEFGHIJ"
    error_message = "expected the challenge's value in the given zone"
  }
  assert {
    condition     = aws_vpc_endpoint_service_private_dns_verification.verification.service_id == "vpce-svc-0123456789abcdef0" && aws_vpc_endpoint_service_private_dns_verification.verification.wait_for_verification
    error_message = "expected verification of the service, waited for"
  }
}

run "puts_the_record_under_a_parent_domain_when_asked" {
  command = plan

  variables {
    record_domain = "example.com"
  }

  assert {
    condition     = aws_route53_record.verification_record.name == "_0123abcd.example.com"
    error_message = "expected the record under the given domain"
  }
}

run "looks_the_zone_up_by_name_when_no_id_is_given" {
  command = plan

  variables {
    hosted_zone_id   = null
    hosted_zone_name = "example.com"
  }

  assert {
    condition     = length(data.aws_route53_zone.hosted_zone) == 1 && data.aws_route53_zone.hosted_zone[0].name == "example.com" && !data.aws_route53_zone.hosted_zone[0].private_zone
    error_message = "expected a lookup of the public zone by name"
  }
  assert {
    condition     = aws_route53_record.verification_record.zone_id == "Z9876543210ZYXWVUTSRQ"
    error_message = "expected the record in the zone found"
  }
}

run "refuses_both_a_zone_id_and_a_name" {
  command = plan

  variables {
    hosted_zone_name = "example.com"
  }

  expect_failures = [var.hosted_zone_id]
}

run "refuses_a_zone_that_does_not_hold_the_domain" {
  command = plan

  variables {
    hosted_zone_id   = null
    hosted_zone_name = "example.org"
  }

  expect_failures = [var.hosted_zone_name]
}

run "applies_and_outputs_the_record" {
  assert {
    condition     = output.record_fqdn == "_0123abcd.api.example.com" && output.record_type == "TXT" && output.record_value == "vpce:0123456789abcdefghij"
    error_message = "expected the record's name, type and value"
  }
}

run "refuses_a_name_that_is_not_a_domain_and_a_bad_service_id" {
  command = plan

  variables {
    private_dns_name = "api"
    service_id       = "svc-1"
  }

  expect_failures = [var.private_dns_name, var.service_id]
}
