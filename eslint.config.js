import js from "@eslint/js";
import tseslint from "typescript-eslint";

// TypeScript checked with type information (typescript-eslint's strict type-checked rules). Each file is
// checked with the tsconfig.json nearest to it: tsconfig.json for src, test, bench, examples and scripts,
// web/tsconfig.json for the console.
const typeChecked = ["src/**/*.ts", "test/**/*.ts", "web/**/*.ts", "web/**/*.tsx", "bench/**/*.ts", "examples/**/*.ts", "scripts/**/*.ts", "vitest.config.ts"];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "data/**", "bench/results/**", "coverage/**", ".dependency-cruiser.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": ["error", { object: "Math", property: "random", message: "Randomness comes from an Rng port (src/app/ports/rng.ts)." }],
    },
  },
  {
    files: typeChecked,
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Numbers and booleans print unambiguously; strings of anything else must be made on purpose.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      // `x => doSomething(x)` returning void is the ordinary callback shorthand.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      // Event handlers (`onClick={async () => ...}`) may be async: the DOM ignores their result.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // Off: the in-memory twins of async ports and Fastify's async handlers are `async` by contract
      // (a throw must become a rejection), so an `async` without `await` is deliberate here.
      "@typescript-eslint/require-await": "off",
      // Passing on a caught error (of type unknown) as it came is allowed; new rejections must be Errors.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
    },
  },
  {
    // The tests: the same strict type-checked rules, with one difference.
    files: ["test/**/*.ts"],
    rules: {
      // Off in tests: `rows[0]!` says "the test expects one here". Were it missing, the next line throws
      // and the test fails as it should; a production code path has no such safety net.
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Nothing but the config module reads the environment.
    files: ["src/**/*.ts"],
    ignores: ["src/config/**"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "Randomness comes from an Rng port." },
        { object: "process", property: "env", message: "Read configuration through src/config only." },
      ],
    },
  },
  {
    // The pure core has no I/O, no clock and no platform randomness.
    files: ["src/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["node:*", "fs", "crypto", "net", "http"] }],
      "no-restricted-globals": ["error", "Date", "setTimeout", "setInterval", "performance", "crypto"],
    },
  },
);
