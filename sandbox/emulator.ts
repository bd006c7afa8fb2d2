import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { SANDBOX_ACCOUNT_ID } from "../config/schema";

/** The launcher: moto's server with the PrivateLink patches, on loopback only. */
export const EMULATOR_LAUNCHER = path.resolve(__dirname, "emulator", "privatelink_emulator.py");
export const MOTO_VERSION = "5.2.1";
export const MOTO_INSTALL_HINT = `pip install "moto[server]==${MOTO_VERSION}"`;
/** moto's default account: requests signed with the test credentials belong to it. */
export const EMULATOR_ACCOUNT = SANDBOX_ACCOUNT_ID;

export interface Emulator {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Everything the emulator printed (stdout and stderr). */
  readonly logFile: string;
  /** Stops the emulator by its PID (SIGTERM, then SIGKILL after 5 s); resolves once it has exited. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Throws a clear error, saying what to install, when python3 or moto's server is missing or
 * moto is not the version the patches are written for. Never skips silently.
 */
export function requireEmulatorRuntime(): void {
  const probe = spawnSync(
    "python3",
    ["-c", "import moto, flask, werkzeug; from moto.moto_server.werkzeug_app import create_backend_app; print(moto.__version__)"],
    { encoding: "utf8" },
  );
  if (probe.error) {
    throw new Error(`python3 was not found on the PATH: the AWS emulator needs Python 3 with moto ${MOTO_VERSION}. Install Python 3, then ${MOTO_INSTALL_HINT}`);
  }
  if (probe.status !== 0) {
    throw new Error(`moto's server is not importable by python3 (${lastLine(probe.stderr)}): ${MOTO_INSTALL_HINT}`);
  }
  const version = probe.stdout.trim();
  if (version !== MOTO_VERSION) {
    throw new Error(`the AWS emulator patches moto ${MOTO_VERSION}, python3 has moto ${version}: ${MOTO_INSTALL_HINT}`);
  }
}

/** Starts the emulator on a loopback port (a free one by default); resolves once it is ready. */
export async function startEmulator(requestedPort?: number, timeoutMs = 60_000): Promise<Emulator> {
  requireEmulatorRuntime();
  const port = requestedPort ?? (await freePort());
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pl-emulator-")), "emulator.log");
  // Output goes to a file, not a pipe: a parent blocked in a synchronous call can never stall it.
  const out = fs.openSync(logFile, "a");
  const child = spawn("python3", [EMULATOR_LAUNCHER, "--port", String(port), "--host", "127.0.0.1"], {
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  const endpoint = `http://127.0.0.1:${port}`;
  const readLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "");

  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (readLog().includes(`emulator ready on ${endpoint}`)) break;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the AWS emulator exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${readLog()}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the AWS emulator was not ready on ${endpoint} within ${timeoutMs / 1000}s:\n${readLog()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const pid = child.pid!;
  return {
    endpoint,
    port,
    pid,
    logFile,
    stop: async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, "SIGTERM");
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(pid, "SIGKILL");
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop() ?? "";
}

/** Creates what a sandbox flow expects to exist already: the public hosted zone and the state bucket. */
export function seedEmulator(endpoint: string, seed: { zoneName?: string; bucket?: string; region: string }): void {
  const script = String.raw`
import sys, boto3
endpoint, region, zone, bucket = sys.argv[1:5]
kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="test", aws_secret_access_key="test")
if zone:
    r53 = boto3.client("route53", **kw)
    if not any(z["Name"] == zone.rstrip(".") + "." for z in r53.list_hosted_zones()["HostedZones"]):
        r53.create_hosted_zone(Name=zone, CallerReference="privatelink-sandbox-" + zone)
if bucket:
    s3 = boto3.client("s3", **kw)
    if bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
`;
  const r = spawnSync("python3", ["-c", script, endpoint, seed.region, seed.zoneName ?? "", seed.bucket ?? ""], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`could not seed the emulator: ${r.stderr}`);
}

/**
 * One AWS API call to the emulator through boto3, answered as JSON: what the emulator (like
 * AWS) says now, as opposed to what a Terraform state recorded at apply time.
 */
export function emulatorCall<T = any>(endpoint: string, region: string, service: string, operation: string, params: Record<string, unknown> = {}): T {
  const script = String.raw`
import json, sys, boto3
endpoint, region, service, operation, params = sys.argv[1:6]
client = boto3.client(service, endpoint_url=endpoint, region_name=region, aws_access_key_id="test", aws_secret_access_key="test")
answer = getattr(client, operation)(**json.loads(params))
answer.pop("ResponseMetadata", None)
print(json.dumps(answer, default=str))
`;
  const r = spawnSync("python3", ["-c", script, endpoint, region, service, operation, JSON.stringify(params)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${service} ${operation} on the emulator failed: ${lastLine(r.stderr)}`);
  return JSON.parse(r.stdout) as T;
}

/** A call the emulator is to fail (sandbox/emulator/privatelink_faults.py). */
export interface EmulatorFault {
  /** The API action, such as CreateVpcEndpoint. */
  readonly action: string;
  /** How many matching calls fail. @default 1 */
  readonly times?: number;
  /** Request parameters a call must have, all equal, to match. @default - every call of the action */
  readonly params?: Record<string, string>;
}

/** Arms a fault: the next matching calls fail with a client error `InjectedFault`, before moto sees them. */
export async function injectFault(endpoint: string, fault: EmulatorFault): Promise<void> {
  const r = await fetch(`${endpoint}/_privatelink/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fault) });
  if (r.status !== 201) throw new Error(`the emulator refused the fault ${JSON.stringify(fault)}: ${r.status} ${await r.text()}`);
}

/** The faults still armed, with the calls each has left to fail. */
export async function armedFaults(endpoint: string): Promise<Required<EmulatorFault>[]> {
  const r = await fetch(`${endpoint}/_privatelink/faults`);
  if (r.status !== 200) throw new Error(`the emulator did not list its faults: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { faults: Required<EmulatorFault>[] }).faults;
}

/**
 * Saves the emulator's whole state (every service, account and region called so far) into
 * `file` (sandbox/emulator/privatelink_snapshot.py); take it while no call is under way.
 */
export async function snapshotEmulator(endpoint: string, file: string): Promise<{ bytes: number; backends: string[] }> {
  return emulatorControl(endpoint, "snapshot", file);
}

/** Loads a state saved by `snapshotEmulator` into a freshly started emulator, replacing what it holds. */
export async function restoreEmulator(endpoint: string, file: string): Promise<{ backends: string[] }> {
  return emulatorControl(endpoint, "restore", file);
}

async function emulatorControl<T>(endpoint: string, what: "snapshot" | "restore", file: string): Promise<T> {
  const r = await fetch(`${endpoint}/_privatelink/${what}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ file: path.resolve(file) }) });
  if (r.status !== 200) throw new Error(`the emulator's ${what} of ${file} failed: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}
