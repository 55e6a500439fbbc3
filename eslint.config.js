import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "data/**", "bench/results/**", "coverage/**", ".dependency-cruiser.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", setImmediate: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": ["error", { object: "Math", property: "random", message: "Randomness comes from an Rng port (src/app/ports/rng.ts)." }],
    },
  },
  {
    // Nothing but the config module reads the environment.
    files: ["src/**/*.ts"],
    ignores: ["src/config/**"],
    rules: {
      "no-restricted-properties": ["error",
        { object: "Math", property: "random", message: "Randomness comes from an Rng port." },
        { object: "process", property: "env", message: "Read configuration through src/config only." }],
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
