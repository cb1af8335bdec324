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
});
