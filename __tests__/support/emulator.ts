import { execFile, spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";

// Starting and stopping the emulator is product code (npm run sandbox uses it too).
export { EMULATOR_ACCOUNT, EMULATOR_LAUNCHER, Emulator, MOTO_INSTALL_HINT, MOTO_VERSION, freePort, requireEmulatorRuntime, startEmulator } from "../../sandbox/emulator";

/** Environment for AWS CLI calls to the emulator: test credentials, no user config, no retries. */
export function awsCliEnv(region = "us-west-2"): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CA_BUNDLE"]) delete env[key];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: path.join(os.tmpdir(), "pl-emulator-no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), "pl-emulator-no-aws-credentials"),
    AWS_MAX_ATTEMPTS: "1",
    AWS_RETRY_MODE: "standard",
    AWS_PAGER: "",
  };
}

/** Throws a clear error when the AWS CLI is missing. */
export function requireAwsCli(): void {
  const r = spawnSync("aws", ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) throw new Error("the AWS CLI (aws) was not found on the PATH: pip install awscli");
}

export class AwsCliError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
  ) {
    super(`aws ${args.join(" ")} failed: ${stderr.trim()}`);
  }
}

/** Runs `aws --endpoint-url <endpoint> --region us-west-2 <args> --output json` and parses the answer. */
export function aws<T = any>(endpoint: string, args: string[], env: NodeJS.ProcessEnv = awsCliEnv()): Promise<T> {
  const full = ["--endpoint-url", endpoint, "--region", env.AWS_DEFAULT_REGION ?? "us-west-2", ...args, "--output", "json"];
  return new Promise((resolve, reject) => {
    execFile("aws", full, { env, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new AwsCliError(args, stderr || error.message));
      resolve((stdout.trim() ? JSON.parse(stdout) : {}) as T);
    });
  });
}
