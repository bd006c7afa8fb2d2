// Yardstick for `npm run bench`: the smallest compiled cdktf app that imports the AWS provider
// from its package root, as the provider's own examples do. One stack, one resource.
"use strict";
const aws = require("@cdktf/provider-aws");
const { App, TerraformStack } = require("cdktf");

const app = new App({ outdir: process.env.CDKTF_OUTDIR || "cdktf.out" });
const stack = new TerraformStack(app, "one");
new aws.provider.AwsProvider(stack, "aws", { region: "us-west-2" });
new aws.s3Bucket.S3Bucket(stack, "bucket", { bucketPrefix: "one-" });
app.synth();
