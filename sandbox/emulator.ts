import { ChildProcess, spawn, spawnSync } from "child_process";
import * as net from "net";
import * as path from "path";

export const LAUNCHER = path.join(__dirname, "emulator", "privatelink_emulator.py");

export interface RunningEmulator {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Fails with what to install when python3 or moto is missing. */
export function requireMoto(): void {
  const r = spawnSync("python3", ["-c", "import moto, boto3; print(moto.__version__)"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error('The sandbox needs Python 3 with moto 5.2.1 and boto3: pip install "moto[server]==5.2.1" boto3');
  }
}

/** Starts the PrivateLink emulator on a loopback port and resolves once it accepts requests. */
export async function startEmulator(port?: number, timeoutMs = 60_000): Promise<RunningEmulator> {
  requireMoto();
  const p = port ?? (await freePort());
  const child: ChildProcess = spawn("python3", [LAUNCHER, "--port", String(p), "--host", "127.0.0.1"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const endpoint = `http://127.0.0.1:${p}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start within ${timeoutMs / 1000}s:\n${log}`)), timeoutMs);
    const onData = (d: Buffer) => {
      log += d;
      if (log.includes("emulator ready on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d) => (log += d));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with code ${code}:\n${log}`));
    });
  });
  // Keep draining output so the child never blocks on a full pipe.
  child.stdout!.removeAllListeners("data").resume();
  child.stderr!.removeAllListeners("data").resume();
  child.removeAllListeners("exit");
  return {
    endpoint,
    port: p,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        process.kill(child.pid!, "SIGTERM");
        setTimeout(() => child.exitCode === null && process.kill(child.pid!, "SIGKILL"), 5000).unref();
      }),
  };
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
