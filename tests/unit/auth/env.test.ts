import { assertPortalEnv } from "@/lib/config/env";

describe("start-up configuration", () => {
  const good = { NEXTAUTH_SECRET: "x".repeat(32), NODE_ENV: "production" } as NodeJS.ProcessEnv;

  it("should accept the embedded defaults with a secret", () => {
    expect(() => assertPortalEnv(good)).not.toThrow();
  });

  it("should name every problem at once", () => {
    const bad = {
      NEXTAUTH_SECRET: "short",
      DATABASE_URL: "mysql://x",
      NEXTAUTH_URL: "not a url",
      NODE_ENV: "production",
    } as NodeJS.ProcessEnv;
    expect(() => assertPortalEnv(bad)).toThrow(
      /NEXTAUTH_SECRET must be at least 32[\s\S]*NEXTAUTH_URL[\s\S]*DATABASE_URL must start with file:/,
    );
  });

  it("should stop at a PAGE_CACHE_SECONDS that is not 0–3600 whole seconds, and take an empty one as the default", () => {
    expect(() => assertPortalEnv({ ...good, PAGE_CACHE_SECONDS: "0" })).not.toThrow();
    expect(() => assertPortalEnv({ ...good, PAGE_CACHE_SECONDS: "" })).not.toThrow();
    expect(() => assertPortalEnv({ ...good, PAGE_CACHE_SECONDS: "30s" })).toThrow(/PAGE_CACHE_SECONDS must be a whole number of seconds/);
    expect(() => assertPortalEnv({ ...good, PAGE_CACHE_SECONDS: "7200" })).toThrow(/PAGE_CACHE_SECONDS must be/);
  });
});
