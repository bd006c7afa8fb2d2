import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from "worker_threads";
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
  const call = (service: string, operation: string, params: Record<string, unknown> = {}) => {
    try {
      return emulatorCall(endpoint, seed.region, service, operation, params);
    } catch (e) {
      throw new Error(`could not seed the emulator: ${(e as Error).message}`);
    }
  };
  const zone = seed.zoneName;
  if (zone && !call("route53", "list_hosted_zones").HostedZones.some((z: { Name: string }) => z.Name === `${zone.replace(/\.$/, "")}.`)) {
    call("route53", "create_hosted_zone", { Name: zone, CallerReference: `privatelink-sandbox-${zone}` });
  }
  const bucket = seed.bucket;
  if (bucket && !call("s3", "list_buckets").Buckets.some((b: { Name: string }) => b.Name === bucket)) {
    call("s3", "create_bucket", { Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: seed.region } });
  }
}

/** What the emulator answered to one call it made (POST /_privatelink/call): the result, or the client error. */
export type EmulatorAnswer<T> = { readonly result: T; readonly error?: undefined } | { readonly result?: undefined; readonly error: { readonly code: string; readonly message: string } };

/**
 * A synchronous HTTP POST, for checks written as plain calls: a worker thread (started once,
 * never holding the process open) makes the request while this thread waits on a shared flag,
 * then takes the answer from the worker's port. No process is started per request.
 */
function postSync(url: string, body: string, timeoutMs = 120_000): { status: number; text: string } {
  poster ??= startPoster();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  poster.worker.postMessage({ flag, url, body });
  if (Atomics.wait(flag, 0, 0, timeoutMs) === "timed-out") {
    // (its late answer must not be taken for the next request's: a new worker for that one)
    void poster.worker.terminate();
    poster = undefined;
    throw new Error(`no answer from ${url} within ${timeoutMs / 1000}s`);
  }
  const answer = receiveMessageOnPort(poster.answers)?.message as { status: number; text: string } | { failure: string } | undefined;
  if (!answer) throw new Error(`no answer from ${url}`);
  if ("failure" in answer) throw new Error(answer.failure);
  return answer;
}

let poster: { worker: Worker; answers: MessagePort } | undefined;

function startPoster(): { worker: Worker; answers: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(
    String.raw`
const { parentPort, workerData } = require("worker_threads");
parentPort.on("message", async ({ flag, url, body }) => {
  let answer;
  try {
    const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    answer = { status: r.status, text: await r.text() };
  } catch (e) {
    answer = { failure: String(e.cause ?? e) };
  }
  workerData.answers.postMessage(answer);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`,
    { eval: true, workerData: { answers: port2 }, transferList: [port2] },
  );
  worker.unref();
  port1.unref();
  return { worker, answers: port1 };
}

/**
 * One AWS API call made by the emulator with boto3 (the AWS CLI's SDK), as `operation` of
 * `service` in `region`, with the emulator's test credentials or a session of `roleArn` (the
 * emulator puts what a role's session does in the role's account). Answers the result or the
 * call's client error; throws when the emulator could not be asked.
 */
export function emulatorRequest<T = any>(endpoint: string, region: string, service: string, operation: string, params: Record<string, unknown> = {}, options: { readonly roleArn?: string } = {}): EmulatorAnswer<T> {
  const body = JSON.stringify({ region, service, operation, params, ...(options.roleArn ? { roleArn: options.roleArn } : {}) });
  let answer: { status: number; text: string };
  try {
    answer = postSync(`${endpoint}/_privatelink/call`, body);
  } catch (e) {
    throw new Error(`${service} ${operation} on the emulator failed: ${(e as Error).message}`);
  }
  if (answer.status !== 200) throw new Error(`${service} ${operation} on the emulator failed: HTTP ${answer.status}: ${answer.text}`);
  return JSON.parse(answer.text) as EmulatorAnswer<T>;
}

/**
 * One AWS API call to the emulator, answered as JSON: what the emulator (like AWS) says now, as
 * opposed to what a Terraform state recorded at apply time. A client error throws, with its code.
 */
export function emulatorCall<T = any>(endpoint: string, region: string, service: string, operation: string, params: Record<string, unknown> = {}): T {
  const answer = emulatorRequest<T>(endpoint, region, service, operation, params);
  if (answer.error) throw new Error(`${service} ${operation} on the emulator failed: ${answer.error.code}: ${answer.error.message}`);
  return answer.result;
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
