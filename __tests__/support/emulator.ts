import { ChildProcessWithoutNullStreams, spawn, spawnSync } from "child_process";
import * as fs from "fs";
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

/**
 * One long-lived AWS CLI for the test process: the CLI's own driver, run in one Python process
 * for every command, instead of a new Python (about a second of CPU) per command.
 */
const CLI_SESSION = String.raw`
import contextlib, io, json, sys, traceback
from awscli.clidriver import create_clidriver
driver = create_clidriver()
for line in sys.stdin:
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = driver.main(json.loads(line))
    except BaseException:
        rc, err = 255, io.StringIO(traceback.format_exc())
    sys.__stdout__.write(json.dumps({"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()}) + "\n")
    sys.__stdout__.flush()
`;

class AwsCliSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((answer: { rc: number; stdout: string; stderr: string }) => void)[] = [];
  private buffer = "";

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn("python3", ["-u", "-c", CLI_SESSION], { env, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk: string) => {
      this.buffer += chunk;
      for (let i = this.buffer.indexOf("\n"); i >= 0; i = this.buffer.indexOf("\n")) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        this.waiting.shift()?.(JSON.parse(line));
      }
    });
    this.child.unref();
    (this.child.stdout as unknown as { unref(): void }).unref();
    (this.child.stdin as unknown as { unref(): void }).unref();
    (this.child.stderr as unknown as { unref(): void }).unref();
  }

  run(args: string[]): Promise<{ rc: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(`${JSON.stringify(args)}\n`);
    });
  }
}

const sessions = new Map<string, AwsCliSession>();

/** Runs `aws --endpoint-url <endpoint> --region us-west-2 <args> --output json` and parses the answer. */
export async function aws<T = any>(endpoint: string, args: string[], env: NodeJS.ProcessEnv = awsCliEnv()): Promise<T> {
  const region = env.AWS_DEFAULT_REGION ?? "us-west-2";
  if (!sessions.has(region)) sessions.set(region, new AwsCliSession(env));
  const answer = await sessions.get(region)!.run(["--endpoint-url", endpoint, "--region", region, ...args, "--output", "json"]);
  if (answer.rc !== 0) throw new AwsCliError(args, answer.stderr || `exit ${answer.rc}`);
  return (answer.stdout.trim() ? JSON.parse(answer.stdout) : {}) as T;
}

/**
 * Points a plain Terraform directory's AWS provider at the emulator (IAM, STS and S3), as an
 * administrator of `account` (through the emulator's admin role there) or of the emulator's own
 * account: an override file written by tests only.
 */
export function emulatorProviderOverride(dir: string, endpoint: string, account?: string): void {
  const provider = {
    access_key: "test",
    secret_key: "test",
    endpoints: [{ iam: endpoint, sts: endpoint, s3: endpoint }],
    s3_use_path_style: true,
    skip_credentials_validation: true,
    skip_metadata_api_check: "true",
    skip_region_validation: true,
    ...(account ? { assume_role: [{ role_arn: `arn:aws:iam::${account}:role/emulator-admin`, session_name: "aws-access-admin" }] } : {}),
  };
  fs.writeFileSync(path.join(dir, "emulator_override.tf.json"), JSON.stringify({ provider: { aws: [provider] } }, null, 2));
}
