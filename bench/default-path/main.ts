// The default cdktf template path, for comparison only: ts-node type-checks on every run and the
// provider is imported from its package root, which loads every resource class.
import * as aws from "@cdktf/provider-aws";
import { App } from "cdktf";
import { buildStacks } from "../../stacks/app";
import { loadConfig, resolveConfigPath } from "../../config/load";

void aws.provider.AwsProvider;
const app = new App();
buildStacks(app, loadConfig(resolveConfigPath()));
app.synth();
