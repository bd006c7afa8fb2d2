/**
 * `npm run terraform-config`: a Terraform CLI config for machines that cannot (or must not) reach
 * registry.terraform.io, for `cdktf deploy` and the plain-Terraform pipeline loop alike.
 *
 *   npm run terraform-config                               # a filesystem mirror found on this machine
 *   npm run terraform-config -- --mirror /opt/tf-plugins   # that filesystem mirror
 *   npm run terraform-config -- --network-mirror https://mirror.example.com/providers/
 *   npm run terraform-config -- --out ~/.privatelink.tfrc  # where to write it (default: ./terraform.tfrc)
 *
 * Prints the `export TF_CLI_CONFIG_FILE=...` line to run next.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { MIRROR_ENV, cliConfigText, findProviderMirror } from "./terraform";

function main(): number {
  const { values } = parseArgs({
    options: {
      mirror: { type: "string" },
      "network-mirror": { type: "string" },
      out: { type: "string", default: "terraform.tfrc" },
    },
  });
  if (values.mirror && values["network-mirror"]) {
    console.error("--mirror and --network-mirror: give one of them");
    return 1;
  }
  let mirror: { filesystem: string } | { network: string } | undefined;
  if (values["network-mirror"]) {
    if (!/^https:\/\/.+\/$/.test(values["network-mirror"])) {
      console.error(`--network-mirror: received "${values["network-mirror"]}"; expected an https URL ending in "/", such as https://mirror.example.com/providers/`);
      return 1;
    }
    mirror = { network: values["network-mirror"] };
  } else {
    const found = values.mirror ? path.resolve(values.mirror) : findProviderMirror();
    if (!found) {
      console.error(
        `No provider mirror found on this machine (looked at $${MIRROR_ENV}, Terraform's implied mirror folders and one level below /opt, /usr/local/share and $HOME).\n` +
          "Give one: --mirror <folder holding registry.terraform.io/hashicorp/aws/...> or --network-mirror <https URL>.",
      );
      return 1;
    }
    if (!fs.existsSync(path.join(found, "registry.terraform.io", "hashicorp", "aws"))) {
      console.error(`--mirror: ${found} holds no registry.terraform.io/hashicorp/aws/: point it at the folder that contains registry.terraform.io/`);
      return 1;
    }
    mirror = { filesystem: found };
  }
  const out = path.resolve(values.out!);
  fs.writeFileSync(out, cliConfigText(mirror));
  console.log(`wrote ${out} (the AWS provider from ${"filesystem" in mirror ? mirror.filesystem : mirror.network}; every other provider from the public registry)`);
  console.log(`export TF_CLI_CONFIG_FILE=${out}`);
  return 0;
}

process.exit(main());
