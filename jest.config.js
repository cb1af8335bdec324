// @ts-check
// One runner, several projects: each folder under tests/ is a project so that
// `jest --selectProjects unit` gives a fast loop while `npm test` runs them all.

/** @type {import("jest").Config["transform"]} */
const swc = {
  "^.+\\.(t|j)sx?$": [
    "@swc/jest",
    { jsc: { parser: { syntax: "typescript", tsx: true }, transform: { react: { runtime: "automatic" } } }, module: { type: "commonjs" } },
  ],
};

/** @returns {import("jest").Config} */
const project = (/** @type {string} */ name, /** @type {number} */ timeoutMs) => ({
  displayName: name,
  testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
  testTimeout: timeoutMs,
  transform: swc,
  testEnvironment: "node",
  moduleNameMapper: { "^@/(.*)$": "<rootDir>/$1" },
  // ESM-only packages that must be compiled for Jest's CommonJS runtime.
  transformIgnorePatterns: ["/node_modules/(?!(croner)/)"],
  // Next's build output holds copies of package.json and the generated clients.
  modulePathIgnorePatterns: ["<rootDir>/.next/"],
});

/** @type {import("jest").Config} */
module.exports = {
  // Jest reads testTimeout only from the global config; projects set their own in their files.
  testTimeout: 180_000,
  projects: [
    project("unit", 10_000),
    project("jobs", 120_000),
    project("emulator", 60_000),
    // Kill and fault injection at every step of every run and schedule operation (SQLite, emulator).
    project("faults", 600_000),
    {
      ...project("integration", 180_000),
      globalSetup: "<rootDir>/tests/support/postgres-global-setup.ts",
      globalTeardown: "<rootDir>/tests/support/postgres-global-teardown.ts",
    },
  ],
};
