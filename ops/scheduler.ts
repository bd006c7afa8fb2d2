/**
 * Runs jobs that depend on one another (a DAG), as many at once as allowed: each job starts as
 * soon as every job it depends on succeeded, not wave by wave. A job that fails skips every job
 * that depends on it, directly or not; the others keep going.
 */

/** One job: a name and the names of the jobs that must succeed before it starts. */
export interface Job {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

export type JobOutcome<T> =
  | { readonly name: string; readonly status: "done"; readonly value: T; readonly seconds: number }
  | { readonly name: string; readonly status: "failed"; readonly error: unknown; readonly seconds: number }
  /** Never started: `blockedBy` is the failed job it depended on, directly or not. */
  | { readonly name: string; readonly status: "skipped"; readonly blockedBy: string };

export interface ScheduleOptions<T> {
  /** Jobs running at once, at most. @default 4 */
  readonly parallelism?: number;
  readonly onStart?: (name: string) => void;
  /** Hears of each job as it succeeds, fails or is skipped. */
  readonly onEnd?: (outcome: JobOutcome<T>) => void;
}

export const DEFAULT_PARALLELISM = 4;

/** Throws naming every dependency that is not a job and the first cycle, if any. */
export function checkJobs(jobs: readonly Job[]): void {
  const names = new Set(jobs.map((j) => j.name));
  const problems = jobs.flatMap((j) => j.dependsOn.filter((d) => !names.has(d)).map((d) => `${j.name} depends on ${d}, which is not among the jobs (${[...names].join(", ")})`));
  if (jobs.length !== names.size) problems.push(`job names repeat: ${jobs.map((j) => j.name).join(", ")}`);
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const done = new Set<string>();
  const visit = (name: string, path: string[]): string | undefined => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name].join(" -> ");
    if (done.has(name) || !byName.has(name)) return undefined;
    for (const d of byName.get(name)!.dependsOn) {
      const cycle = visit(d, [...path, name]);
      if (cycle) return cycle;
    }
    done.add(name);
    return undefined;
  };
  for (const j of jobs) {
    const cycle = visit(j.name, []);
    if (cycle) {
      problems.push(`dependency cycle: ${cycle}`);
      break;
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
}

/**
 * Runs every job through `work`; resolves, once none is left running, with one outcome per job
 * in the order of `jobs`. Ready jobs start in the order of `jobs`. Never rejects for a failing job.
 */
export async function runJobs<T>(jobs: readonly Job[], work: (name: string) => Promise<T>, options: ScheduleOptions<T> = {}): Promise<JobOutcome<T>[]> {
  checkJobs(jobs);
  const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
  if (!Number.isInteger(parallelism) || parallelism < 1) throw new Error(`parallelism: received ${parallelism}; expected a whole number of at least 1`);
  const outcomes = new Map<string, JobOutcome<T>>();
  const succeeded = new Set<string>();
  const running = new Set<string>();
  const pending = [...jobs];
  const end = (outcome: JobOutcome<T>) => {
    outcomes.set(outcome.name, outcome);
    options.onEnd?.(outcome);
  };

  return new Promise((resolve) => {
    const pump = () => {
      // Skip what waits on a job that did not succeed, until nothing more is blocked.
      for (let changed = true; changed; ) {
        changed = false;
        for (const job of [...pending]) {
          const blocker = job.dependsOn.map((d) => outcomes.get(d)).find((o) => o !== undefined && o.status !== "done");
          if (!blocker) continue;
          pending.splice(pending.indexOf(job), 1);
          end({ name: job.name, status: "skipped", blockedBy: blocker.status === "skipped" ? blocker.blockedBy : blocker.name });
          changed = true;
        }
      }
      for (const job of [...pending]) {
        if (running.size >= parallelism) break;
        if (!job.dependsOn.every((d) => succeeded.has(d))) continue;
        pending.splice(pending.indexOf(job), 1);
        running.add(job.name);
        options.onStart?.(job.name);
        const started = Date.now();
        const seconds = () => (Date.now() - started) / 1000;
        // A job's work may throw synchronously: it fails that job only.
        Promise.resolve()
          .then(() => work(job.name))
          .then(
            (value) => {
              succeeded.add(job.name);
              end({ name: job.name, status: "done", value, seconds: seconds() });
            },
            (error: unknown) => end({ name: job.name, status: "failed", error, seconds: seconds() }),
          )
          .finally(() => {
            running.delete(job.name);
            pump();
          });
      }
      if (running.size === 0 && pending.length === 0) resolve(jobs.map((j) => outcomes.get(j.name)!));
    };
    pump();
  });
}
