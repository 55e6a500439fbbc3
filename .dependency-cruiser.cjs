/** Dependency directions of Croupier (docs/ARCHITECTURE.md explains them). */
module.exports = {
  forbidden: [
    { name: "engine-is-pure", severity: "error", comment: "engine imports nothing of ours outside engine, and no node built-ins",
      from: { path: "^src/engine" }, to: { pathNot: "^src/engine", dependencyTypesNot: ["npm", "npm-dev"] } },
    { name: "engine-no-builtins", severity: "error", from: { path: "^src/engine" }, to: { dependencyTypes: ["core"] } },
    { name: "protocol-standalone", severity: "error", comment: "protocol depends on nothing of ours but itself",
      from: { path: "^src/protocol" }, to: { path: "^src/", pathNot: "^src/protocol" } },
    { name: "app-inward", severity: "error", comment: "app may use engine, protocol and its own ports only",
      from: { path: "^src/app" }, to: { path: "^src/(adapters|gateway|cli|client|config|main)" } },
    { name: "adapters-implement-ports", severity: "error", comment: "adapters implement app ports; they never reach into delivery",
      from: { path: "^src/adapters" }, to: { path: "^src/(gateway|cli|client|config|main)" } },
    { name: "adapters-not-sideways", severity: "error", comment: "one technology does not import another",
      from: { path: "^src/adapters/([^/]+)/" }, to: { path: "^src/adapters/", pathNot: "^src/adapters/$1/|^src/adapters/shared/" } },
    { name: "gateway-via-ports", severity: "error", comment: "gateway talks to use cases, never to adapters",
      from: { path: "^src/gateway" }, to: { path: "^src/(adapters|cli|config|main)" } },
    { name: "client-is-sdk", severity: "error", comment: "the SDK ships to browsers: protocol only",
      from: { path: "^src/client" }, to: { path: "^src/", pathNot: "^src/(client|protocol)" } },
    { name: "only-main-wires", severity: "error", comment: "only main.ts and cli import config and adapters together",
      from: { path: "^src/", pathNot: "^src/(main\\.ts|cli/)" }, to: { path: "^src/(main\\.ts|cli/)" } },
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"], extensions: [".ts", ".js"] },
  },
};
