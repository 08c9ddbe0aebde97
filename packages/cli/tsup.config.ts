import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
  splitting: true,
  // One self-contained bundle (adapters become lazily loaded chunks); CommonJS dependencies
  // inside it get a real `require` for Node's built-in modules.
  noExternal: [/.*/],
  // Bundle the workspace packages from their sources, so the CLI never picks up a stale build.
  esbuildOptions(options) {
    options.conditions = ['@meshlingo/source'];
  },
  banner: {
    js: "import { createRequire as __meshlingoCreateRequire } from 'node:module'; const require = __meshlingoCreateRequire(import.meta.url);",
  },
});
