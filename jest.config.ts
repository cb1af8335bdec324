import type { Config } from "jest";

// One runner, several projects: each folder under tests/ is a project so that
// `jest --selectProjects unit` gives a fast loop while `npm test` runs them all.
const swc: Config["transform"] = {
  "^.+\\.(t|j)sx?$": [
    "@swc/jest",
    { jsc: { parser: { syntax: "typescript", tsx: true }, transform: { react: { runtime: "automatic" } } }, module: { type: "commonjs" } },
  ],
};

const common = {
  transform: swc,
  testEnvironment: "node",
  moduleNameMapper: { "^@/(.*)$": "<rootDir>/$1" },
  // ESM-only packages that must be compiled for Jest's CommonJS runtime.
  transformIgnorePatterns: ["/node_modules/(?!(croner)/)"],
} satisfies Partial<Config>;

const project = (name: string, timeoutMs: number): Config => ({
  ...common,
  displayName: name,
  testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
  testTimeout: timeoutMs,
});

const config: Config = {
  projects: [project("unit", 10_000), project("jobs", 120_000), project("emulator", 60_000), project("integration", 180_000)],
};

export default config;
