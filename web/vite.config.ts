import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Two pages, one build: the player site (/) and the operator console (/console). The SDK and the pure
// engine are compiled from their sources, so the browser runs exactly the code the server tests.
export default defineConfig({
  root: here("."),
  base: "/",
  publicDir: false,
  resolve: { alias: { "croupier/client": here("../src/client/index.ts"), "croupier/engine": here("../src/engine/index.ts") } },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: here("../dist/web"),
    emptyOutDir: true,
    target: "es2022",
    // No inline polyfill script: the pages' Content-Security-Policy allows scripts from files only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    rolldownOptions: { input: { player: here("index.html"), console: here("console/index.html") } },
  },
});
