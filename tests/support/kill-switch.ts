// kill -9 of the portal, in-process: every Jenkins call and every database call (a transaction
// counts as one) of an operation is a step; at step N the "process" dies — before the call
// leaves (the request never reaches the other side) or after it was applied (its answer is
// lost). Dying is a promise that never settles: nothing after that point runs, no catch, no
// compensation, exactly as if the process were gone; what was done stays done.

export type KillPoint = "before" | "after";

export interface KillSwitch {
  jenkins<T extends object>(adapter: T): T;
  db<T extends object>(db: T): T;
  /** The steps seen so far ("jenkins.createJob", "db.schedule.create", "db.$transaction", …). */
  steps(): string[];
  /** Resolves with true when the process died, false if the operation finished first. */
  outcome(operation: Promise<unknown>): Promise<boolean>;
}

const never = () => new Promise<never>(() => undefined);

/** Dies at step number `at` (1-based), or at the first step named `at`. */
export function killSwitch(at: number | string, point: KillPoint): KillSwitch {
  const steps: string[] = [];
  let markDead: () => void = () => undefined;
  const dead = new Promise<void>((resolve) => (markDead = resolve));
  let isDead = false;

  const step = async <R>(name: string, call: () => Promise<R>): Promise<R> => {
    if (isDead) return never();
    steps.push(name);
    if (typeof at === "number" ? steps.length !== at : name !== at) return call();
    if (point === "after") await call().catch(() => undefined);
    isDead = true;
    markDead();
    return never();
  };

  const wrapFunctions = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(t, property, receiver) {
        const value = Reflect.get(t, property, receiver);
        if (typeof value !== "function" || typeof property === "symbol") return value;
        return (...args: unknown[]) =>
          step(`${prefix}.${property}`, async () => (value as (...a: unknown[]) => Promise<unknown>).apply(t, args));
      },
    });

  return {
    jenkins: (adapter) => wrapFunctions(adapter, "jenkins"),
    db: (db) =>
      new Proxy(db, {
        get(t, property, receiver) {
          const value = Reflect.get(t, property, receiver);
          if (property === "$transaction")
            return (...args: unknown[]) =>
              step("db.$transaction", async () => (value as (...a: unknown[]) => Promise<unknown>).apply(t, args));
          // Model delegates (db.schedule, db.restoreRun, …): each of their calls is a step.
          if (typeof property === "string" && !property.startsWith("$") && value && typeof value === "object")
            return wrapFunctions(value as object, `db.${property}`);
          return value;
        },
      }),
    steps: () => [...steps],
    outcome: (operation) =>
      Promise.race([
        dead.then(() => true),
        operation.then(
          () => false,
          () => false,
        ),
      ]),
  };
}
