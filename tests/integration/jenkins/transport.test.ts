import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { createJenkinsAdapter, isJenkinsError, jenkinsConfig, JenkinsConfigError, loadJenkinsConfig } from "@/lib/jenkins";
import { kindOf, startAdapterFixture } from "./support";

// Failure modes of the transport: a stopped Jenkins, a server that never
// answers, 5xx answers; bounded retries for GET only; and configuration.

jest.setTimeout(60_000);

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

/** A raw TCP server that accepts connections, reads requests and never writes a byte. */
async function startHangingServer() {
  const sockets = new Set<net.Socket>();
  let requests = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    // Count request lines, not connections: an HTTP client may open a spare socket.
    socket.on("data", (data) => (requests += (data.toString("latin1").match(/^(GET|HEAD|POST|DELETE) \S+ HTTP\/1\.1\r$/gm) ?? []).length));
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests: () => requests };
}

/** An HTTP server answering every request with `status`, counting requests per method. */
async function startStatusServer(status: number) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(status, { "content-type": "text/html" }).end("<html>Please wait while Jenkins is restarting</html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests };
}

const adapterFor = (url: string, timeoutMs = 300) =>
  createJenkinsAdapter(
    jenkinsConfig({ url, credentials: { user: "u", apiToken: "t0ken-never-shown" }, timeoutMs, retries: 2, retryDelayMs: 10 }),
  );

describe("unreachable Jenkins", () => {
  it("should map a stopped emulator to unreachable, for client and fetch calls alike", async () => {
    const fx = await startAdapterFixture();
    await fx.emulator.cleanup();
    expect(await kindOf(fx.admin.getJob("x"))).toBe("unreachable");
    expect(await kindOf(fx.admin.readLog("x", 1))).toBe("unreachable");
    expect(await kindOf(fx.admin.triggerBuild("x", {}))).toBe("unreachable");
    expect(await kindOf(fx.admin.checkConnection())).toBe("unreachable");
  });
});

describe("timeouts", () => {
  it("should time out GETs on a server that never answers, retrying twice", async () => {
    const hanging = await startHangingServer();
    const adapter = adapterFor(hanging.url);
    const error = await adapter.getBuild("x", 1).catch((e: unknown) => e);
    expect(isJenkinsError(error, "timeout")).toBe(true);
    expect((error as Error).message).toMatch(/300 ms/);
    expect((error as Error).message).not.toContain("t0ken-never-shown");
    expect(hanging.requests()).toBe(3);

    expect(await kindOf(adapter.readLog("x", 1))).toBe("timeout");
    expect(hanging.requests()).toBe(6);
  });

  it("should send a trigger once, even when it times out", async () => {
    const hanging = await startHangingServer();
    expect(await kindOf(adapterFor(hanging.url).triggerBuild("x", { A: "1" }))).toBe("timeout");
    // Give a (wrong) retry time to show up.
    await new Promise((r) => setTimeout(r, 200));
    expect(hanging.requests()).toBe(1);
  });
});

describe("retries", () => {
  it("should retry idempotent calls on 503 and never retry POSTs", async () => {
    const server = await startStatusServer(503);
    const adapter = adapterFor(server.url, 2000);

    expect(await kindOf(adapter.getJob("job-a"))).toBe("unreachable");
    expect(server.requests.filter((r) => r.startsWith("GET /job/job-a/"))).toHaveLength(3);
    expect(await kindOf(adapter.listCredentials())).toBe("unreachable");
    expect(server.requests.filter((r) => r.startsWith("GET /credentials/"))).toHaveLength(3);

    expect(await kindOf(adapter.triggerBuild("job-b", { A: "1" }))).toBe("unreachable");
    expect(await kindOf(adapter.createJob("job-c", "<project/>"))).toBe("unreachable");
    expect(await kindOf(adapter.stopBuild("job-d", 1))).toBe("unreachable");
    expect(server.requests.filter((r) => r.startsWith("POST "))).toEqual([
      "POST /job/job-b/buildWithParameters",
      "POST /createItem?name=job-c",
      "POST /job/job-d/1/stop",
    ]);
  });

  it("should retry a 500 as bad-response but not a 404", async () => {
    const failing = await startStatusServer(500);
    expect(await kindOf(adapterFor(failing.url, 2000).getBuild("x", 1))).toBe("bad-response");
    expect(failing.requests).toHaveLength(3);

    const missing = await startStatusServer(404);
    expect(await kindOf(adapterFor(missing.url, 2000).readLog("x", 1))).toBe("not-found");
    // Not retried; the one other request is the check whether the user can see any job at all.
    expect(missing.requests.filter((r) => r.includes("progressiveText"))).toHaveLength(1);
    expect(missing.requests).toHaveLength(2);
  });
});

describe("configuration", () => {
  it("should say clearly when JENKINS_URL is missing", () => {
    expect(() => loadJenkinsConfig({})).toThrow(JenkinsConfigError);
    expect(() => loadJenkinsConfig({})).toThrow(/JENKINS_URL is not set/);
  });

  it("should validate the variables without echoing the token", () => {
    const token = "abcdef0123456789-secret";
    const bad = (env: Record<string, string>) => {
      try {
        loadJenkinsConfig(env);
        return "accepted";
      } catch (error) {
        expect(error).toBeInstanceOf(JenkinsConfigError);
        expect((error as Error).message).not.toContain(token);
        return (error as Error).message;
      }
    };
    expect(bad({ JENKINS_URL: "ftp://jenkins" })).toMatch(/http/);
    expect(bad({ JENKINS_URL: `http://admin:${token}@jenkins:8080` })).toMatch(/JENKINS_USER and JENKINS_API_TOKEN/);
    expect(bad({ JENKINS_URL: "http://jenkins:8080", JENKINS_API_TOKEN: token })).toMatch(/both JENKINS_USER and JENKINS_API_TOKEN/);
    expect(bad({ JENKINS_URL: "http://jenkins:8080", JENKINS_TIMEOUT_MS: "soon" })).toMatch(/JENKINS_TIMEOUT_MS/);
  });

  it("should default the timeout to 10 s and keep the token out of logs", () => {
    const config = loadJenkinsConfig({
      JENKINS_URL: "http://jenkins.example:8080/ci",
      JENKINS_USER: "svc",
      JENKINS_API_TOKEN: "tok-hidden",
    });
    expect(config).toMatchObject({ url: "http://jenkins.example:8080/ci/", timeoutMs: 10_000, retries: 2 });
    expect(config.credentials?.apiToken).toBe("tok-hidden");
    expect(JSON.stringify(config)).not.toContain("tok-hidden");
    expect(loadJenkinsConfig({ JENKINS_URL: "http://j/", JENKINS_TIMEOUT_MS: "2500" }).timeoutMs).toBe(2500);
  });

  it("should resolve paths below a context path such as /jenkins/", async () => {
    const server = await startStatusServer(404);
    await kindOf(adapterFor(`${server.url}jenkins`, 2000).readLog("a/b", 3));
    await kindOf(adapterFor(`${server.url}jenkins`, 2000).getJob("a/b"));
    // After the build's 404, the check whether the user sees any job goes below the context path too.
    expect(server.requests).toEqual([
      "GET /jenkins/job/a/job/b/3/logText/progressiveText?start=0",
      "GET /jenkins/api/json?tree=jobs%5Bname%5D",
      expect.stringMatching(/^GET \/jenkins\/job\/a\/job\/b\/api\/json\?tree=/),
    ]);
  });
});
