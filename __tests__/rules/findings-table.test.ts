import { Finding, formatFindings } from "../../rules";

describe("formatFindings", () => {
  const findings: Finding[] = [
    { id: "PL-NLB2", level: "warning", stack: "provider", resource: "aws_lb.Nlb", reason: "Deletion protection.", detail: "enable_deletion_protection is false: set it to true" },
    {
      id: "PL-SVC2",
      level: "error",
      stack: "provider",
      resource: "aws_vpc_endpoint_service_allowed_principal.Anyone",
      origin: { path: "service.endpointService.allowedPrincipals[0]", value: "*" },
      reason: "No * principal.",
      suppressed: "public service, SEC-42",
    },
    { id: "PL-EP2", level: "error", stack: "consumer-app", resource: "aws_vpc_security_group_ingress_rule.Open", reason: "No open ingress." },
  ];

  test("lays the findings out as an aligned table with a summary", () => {
    // GIVEN a warning, a suppressed error and an error
    // WHEN they are formatted
    const text = formatFindings(findings);
    // THEN the table has the six columns (the config path and value where known), one row per finding, and a summary line
    const config = (v: string) => v.padEnd('service.endpointService.allowedPrincipals[0] = "*"'.length);
    expect(text).toBe(
      [
        `id       level               ${config("config")}  stack         resource                                           reason`,
        `-------  ------------------  ${"-".repeat(config("").length)}  ------------  -------------------------------------------------  ---------------------------------------------------------------------------`,
        `PL-NLB2  warning             ${config("-")}  provider      aws_lb.Nlb                                         Deletion protection. -> enable_deletion_protection is false: set it to true`,
        `PL-SVC2  error (suppressed)  service.endpointService.allowedPrincipals[0] = "*"  provider      aws_vpc_endpoint_service_allowed_principal.Anyone  No * principal. [suppressed: public service, SEC-42]`,
        `PL-EP2   error               ${config("-")}  consumer-app  aws_vpc_security_group_ingress_rule.Open           No open ingress.`,
        "",
        "Security rules: 1 error, 1 warning, 1 suppressed.",
      ].join("\n"),
    );
  });

  test("says so when there are no findings", () => {
    // GIVEN no findings
    // WHEN they are formatted
    // THEN one line says there are none
    expect(formatFindings([])).toBe("Security rules: no findings.");
  });
});
