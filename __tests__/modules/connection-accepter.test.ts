import { DataTerraformRemoteStateLocal, TerraformOutput, TerraformVariable, Testing, Token } from "cdktf";
import { Construct } from "constructs";
import { VpcEndpointConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-accepter";
import { ConnectionAccepter, ConnectionAccepterProps } from "../../modules/connection-accepter";
import { PropsError } from "../../modules/validation";

const SERVICE_ID = "vpce-svc-0123456789abcdef0";
const ENDPOINT_A = "vpce-0aaaaaaaaaaaaaaaa";
const ENDPOINT_B = "vpce-0bbbbbbbbbbbbbbbb";

function synth(props: ConnectionAccepterProps): string {
  return Testing.synthScope((scope) => {
    new ConnectionAccepter(scope, "Accepter", props);
  });
}

function build(props: ConnectionAccepterProps): () => void {
  return () => synth(props);
}

function accepters(text: string): Record<string, Record<string, unknown>> {
  return JSON.parse(text).resource?.aws_vpc_endpoint_connection_accepter ?? {};
}

describe("ConnectionAccepter", () => {
  test("accepts each endpoint of a list with one accepter", () => {
    // GIVEN two endpoint ids as a list
    // WHEN the construct is synthesized
    const out = synth({ serviceId: SERVICE_ID, endpointIds: [ENDPOINT_A, ENDPOINT_B] });
    // THEN each endpoint has its own accepter on the service
    expect(Object.keys(accepters(out))).toHaveLength(2);
    expect(out).toHaveResourceWithProperties(VpcEndpointConnectionAccepter, { vpc_endpoint_service_id: SERVICE_ID, vpc_endpoint_id: ENDPOINT_A });
    expect(out).toHaveResourceWithProperties(VpcEndpointConnectionAccepter, { vpc_endpoint_service_id: SERVICE_ID, vpc_endpoint_id: ENDPOINT_B });
  });

  test("names list accepters by position", () => {
    // GIVEN two endpoint ids as a list
    // WHEN the construct is synthesized
    const names = Object.keys(accepters(synth({ serviceId: SERVICE_ID, endpointIds: [ENDPOINT_A, ENDPOINT_B] })));
    // THEN the Terraform addresses carry the index
    expect(names).toEqual([expect.stringMatching(/^Accepter_Accept-0_/), expect.stringMatching(/^Accepter_Accept-1_/)]);
  });

  test("accepts each endpoint of a map with one accepter", () => {
    // GIVEN two endpoint ids keyed by stable names
    // WHEN the construct is synthesized
    const out = synth({ serviceId: SERVICE_ID, endpointIds: { payments: ENDPOINT_A, "risk-team_2": ENDPOINT_B } });
    // THEN each endpoint has its own accepter on the service
    expect(Object.keys(accepters(out))).toHaveLength(2);
    expect(out).toHaveResourceWithProperties(VpcEndpointConnectionAccepter, { vpc_endpoint_service_id: SERVICE_ID, vpc_endpoint_id: ENDPOINT_A });
    expect(out).toHaveResourceWithProperties(VpcEndpointConnectionAccepter, { vpc_endpoint_service_id: SERVICE_ID, vpc_endpoint_id: ENDPOINT_B });
  });

  test("names map accepters by key, so adding an endpoint does not move the others", () => {
    // GIVEN a map of one endpoint, then the same map with another endpoint in front
    // WHEN both are synthesized
    const before = accepters(synth({ serviceId: SERVICE_ID, endpointIds: { payments: ENDPOINT_A } }));
    const after = accepters(synth({ serviceId: SERVICE_ID, endpointIds: { analytics: ENDPOINT_B, payments: ENDPOINT_A } }));
    // THEN the first endpoint keeps its Terraform address
    const [address] = Object.keys(before);
    expect(address).toMatch(/^Accepter_Accept-payments_/);
    expect(after[address]).toEqual(before[address]);
    expect(Object.keys(after)).toContainEqual(expect.stringMatching(/^Accepter_Accept-analytics_/));
  });

  test("acceptedEndpointIds references the accepters in the order given", () => {
    // GIVEN an accepter whose acceptedEndpointIds are outputs
    let accepter: ConnectionAccepter | undefined;
    // WHEN the construct is synthesized
    const out = JSON.parse(
      Testing.synthScope((scope) => {
        accepter = new ConnectionAccepter(scope, "Accepter", { serviceId: SERVICE_ID, endpointIds: { b: ENDPOINT_B, a: ENDPOINT_A } });
        accepter.acceptedEndpointIds.forEach((id, i) => new TerraformOutput(scope, `accepted_${i}`, { value: id }));
      }),
    ).output;
    // THEN each id comes from its accepter's vpc_endpoint_id, in order
    expect(accepter?.accepters).toHaveLength(2);
    expect(accepter?.acceptedEndpointIds).toHaveLength(2);
    expect(out.accepted_0.value).toMatch(/^\$\{aws_vpc_endpoint_connection_accepter\.Accepter_Accept-b_[^.]+\.vpc_endpoint_id\}$/);
    expect(out.accepted_1.value).toMatch(/^\$\{aws_vpc_endpoint_connection_accepter\.Accepter_Accept-a_[^.]+\.vpc_endpoint_id\}$/);
  });

  describe("validation", () => {
    test("refuses a serviceId that is not vpce-svc-...", () => {
      // GIVEN an endpoint id where the service id belongs
      // WHEN / THEN the construct throws naming serviceId
      expect(build({ serviceId: ENDPOINT_A, endpointIds: [ENDPOINT_B] })).toThrow(/serviceId: received "vpce-0aaaaaaaaaaaaaaaa"/);
    });

    test("refuses an empty list or map of endpoints", () => {
      // GIVEN nothing to accept
      // WHEN / THEN the construct throws naming endpointIds
      expect(build({ serviceId: SERVICE_ID, endpointIds: [] })).toThrow(/endpointIds: received \[\]; expected at least one endpoint id/);
      expect(build({ serviceId: SERVICE_ID, endpointIds: {} })).toThrow(/endpointIds: received \{\}; expected at least one endpoint id/);
    });

    test("refuses a list entry that is not an endpoint id", () => {
      // GIVEN a service id in the list
      // WHEN / THEN the construct throws naming the entry's index
      expect(build({ serviceId: SERVICE_ID, endpointIds: [ENDPOINT_A, SERVICE_ID] })).toThrow(/endpointIds\[1\]: received "vpce-svc-0123456789abcdef0"; expected an endpoint id/);
    });

    test("refuses a map value that is not an endpoint id", () => {
      // GIVEN a bad id under a good name
      // WHEN / THEN the construct throws naming the entry's key
      expect(build({ serviceId: SERVICE_ID, endpointIds: { payments: "vpc-0aaaaaaaaaaaaaaaa" } })).toThrow(/endpointIds\.payments: received "vpc-0aaaaaaaaaaaaaaaa"; expected an endpoint id/);
    });

    test("refuses a map key that cannot be part of a Terraform address", () => {
      // GIVEN names with a space and a slash
      // WHEN / THEN the construct throws naming the key
      expect(build({ serviceId: SERVICE_ID, endpointIds: { "team a": ENDPOINT_A } })).toThrow(/endpointIds\.team a: received "team a"; expected a name of letters, digits/);
      expect(build({ serviceId: SERVICE_ID, endpointIds: { "a/b": ENDPOINT_A } })).toThrow(/endpointIds\.a\/b: received "a\/b"/);
    });

    test("reports several problems at once", () => {
      // GIVEN a bad service id, a bad id and a bad name
      // WHEN the construct is built
      let error: unknown;
      try {
        synth({ serviceId: "svc", endpointIds: { good: "vpce-x", "bad name": ENDPOINT_A } });
      } catch (e) {
        error = e;
      }
      // THEN one PropsError lists all of them
      expect(error).toBeInstanceOf(PropsError);
      expect((error as PropsError).problems.map((p) => p.path)).toEqual(["serviceId", "endpointIds.good", "endpointIds.bad name"]);
      expect((error as PropsError).message).toMatch(/^Invalid props for ConnectionAccepter at stack\/[\w-]+:/);
    });

    test("does not judge unresolved tokens", () => {
      // GIVEN the service id from remote state and endpoint ids from variables and another construct's output
      // WHEN the construct is synthesized
      const out = Testing.synthScope((scope: Construct) => {
        const remote = new DataTerraformRemoteStateLocal(scope, "service", { path: "service.tfstate" });
        const first = new ConnectionAccepter(scope, "First", { serviceId: SERVICE_ID, endpointIds: [ENDPOINT_A] });
        new ConnectionAccepter(scope, "Accepter", {
          serviceId: remote.getString("service_id"),
          endpointIds: {
            consumer: new TerraformVariable(scope, "endpoint_id", { type: "string" }).stringValue,
            reaccepted: first.acceptedEndpointIds[0],
          },
        });
      });
      // THEN the tokens pass through to the accepters
      expect(out).toHaveResourceWithProperties(VpcEndpointConnectionAccepter, {
        vpc_endpoint_service_id: "${data.terraform_remote_state.service.outputs.service_id}",
        vpc_endpoint_id: "${var.endpoint_id}",
      });
      expect(out).toHaveResourceWithProperties(VpcEndpointConnectionAccepter, {
        vpc_endpoint_id: expect.stringMatching(/^\$\{aws_vpc_endpoint_connection_accepter\.First_Accept-0_[^.]+\.vpc_endpoint_id\}$/),
      });
    });
  });
});

describe("endpoint ids as a Terraform value", () => {
  test("a map token gives one accepter with for_each over it, keyed by the map's keys", () => {
    // GIVEN a map of endpoint ids that only Terraform knows (a module variable)
    const out = Testing.synthScope((scope) => {
      const ids = new TerraformVariable(scope, "endpoint_ids", { type: "map(string)" });
      const a = new ConnectionAccepter(scope, "Accepter", { serviceId: SERVICE_ID, endpointIds: Token.asStringMap(ids.value) });
      new TerraformOutput(scope, "accepted", { value: a.acceptedEndpointIds });
    });
    // THEN one resource iterates over the map, and the accepted ids are read from its instances
    const all = Object.values(accepters(out));
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ for_each: "${var.endpoint_ids}", vpc_endpoint_id: "${each.value}", vpc_endpoint_service_id: SERVICE_ID });
    expect(JSON.parse(out).output.accepted.value).toMatch(/^\$\{\[for k, a in aws_vpc_endpoint_connection_accepter\.[^ ]+ : a\.vpc_endpoint_id\]\}$/);
  });

  test("a list token gives one accepter with for_each over the set of ids", () => {
    // GIVEN a list of endpoint ids as a Terraform value
    const out = Testing.synthScope((scope) => {
      const ids = new TerraformVariable(scope, "endpoint_ids", { type: "list(string)" });
      new ConnectionAccepter(scope, "Accepter", { serviceId: SERVICE_ID, endpointIds: ids.listValue });
    });
    // THEN the ids themselves are the keys
    expect(Object.values(accepters(out))).toEqual([expect.objectContaining({ for_each: "${toset(var.endpoint_ids)}", vpc_endpoint_id: "${each.value}" })]);
  });
});
