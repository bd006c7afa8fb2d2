import { TerraformResource, hashMapper, hashMapperHcl, anyToTerraform, anyToHclTerraform } from "cdktf";
import { Construct } from "constructs";

/**
 * A built-in `terraform_data` resource that holds values and is replaced when they change; other
 * resources name it in `replace_triggered_by`. cdktf's own DataResource does the same but runs
 * `terraform version` during every synth to check for Terraform >= 1.4 (this project needs 1.10).
 */
export class ReplacementTrigger extends TerraformResource {
  private readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, values: Record<string, unknown>) {
    super(scope, id, { terraformResourceType: "terraform_data", terraformGeneratorMetadata: { providerName: "terraform" } });
    this.values = values;
  }

  /** The resource's id attribute: unknown until it is (re)created. */
  get id(): string {
    return this.getStringAttribute("id");
  }

  /** The address to name in `replace_triggered_by` (Terraform refuses the "${...}" form there). */
  get address(): string {
    return `${this.terraformResourceType}.${this.friendlyUniqueId}`;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { triggers_replace: hashMapper(anyToTerraform)(this.values) };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    // In the shape the HCL renderer reads (as the provider's classes write it): a bare map would
    // be taken for that shape when it has a key named `value`, and only that key written.
    return { triggers_replace: { value: hashMapperHcl(anyToHclTerraform)(this.values), isBlock: false, type: "map", storageClassType: "anyMap" } };
  }
}
