import { JenkinsError } from "@/lib/jenkins";

// Jenkins failing from the Nth call of an operation on, as seen by the portal:
//   answer-lost  call N is applied, its answer never comes (timeout); Jenkins then refuses connections
//   refused      call N and every later one never reach Jenkins (connection refused)
//   emulator     the real emulator is stopped just before call N (its builds die with it)

export type CutMode = "answer-lost" | "refused" | "emulator";

export function cutJenkins<T extends object>(
  adapter: T,
  n: number,
  mode: CutMode,
  stopEmulator: () => Promise<void>,
): { jenkins: T; hit: () => boolean } {
  let calls = 0;
  const jenkins = new Proxy(adapter, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property === "symbol") return value;
      return async (...args: unknown[]) => {
        calls++;
        const call = () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (calls < n) return call();
        if (mode === "emulator") {
          if (calls === n) await stopEmulator();
          return call();
        }
        if (mode === "answer-lost" && calls === n) {
          await call().catch(() => undefined);
          throw new JenkinsError("timeout", String(property), "Jenkins did not answer in time (fault suite: answer lost)");
        }
        throw new JenkinsError("unreachable", String(property), "connection refused (fault suite: Jenkins down)");
      };
    },
  });
  return { jenkins, hit: () => calls >= n };
}
