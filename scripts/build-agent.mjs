// Bundles the host agent into one file that runs with plain `node` on a host without a checkout
// (started as agents/host/launch.ts says). Features loaded with `await import()` become lazily
// initialised parts of the same file: their code and zod schemas are only built on first use.
import { build } from "esbuild";

await build({
  entryPoints: ["agents/host/main.ts"],
  outfile: "dist/portolan-agent.cjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // Measured (bench/metrics-cost.ts): V8 keeps the bundle's source for lazy compilation, and the
  // unminified file held comments with non-ASCII characters, so it sat on the heap as a 3 MB two-byte
  // string; minified (and with zod English-only, below) it is 0.6 MB of ASCII. Our own error messages
  // are strings, so logs stay readable.
  minify: true,
  legalComments: "none",
  // Parts of the Docker client the agent never uses cost memory once loaded (the target is an agent
  // under 60 MB): docker-modem's ssh transport (ssh2 and its crypto) and dockerode's BuildKit session
  // (gRPC + protobuf). They are replaced by stubs that fail clearly if ever called.
  plugins: [
    {
      // zod bundles every language's error messages (a third of the agent's source, and V8 keeps the
      // source in memory); the agent's messages are English. `z.locales` keeps only `en`.
      name: "zod-english-only",
      setup(b) {
        b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
          args.importer.includes("node_modules/zod/") ? { path: args.resolveDir + "/../locales/en.js", namespace: "zod-locales" } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, loader: "js", resolveDir: "/" }));
      },
    },
    {
      name: "unused-docker-client-parts",
      setup(b) {
        const stubs = { "docker-modem": "./ssh", dockerode: "./session" };
        b.onResolve({ filter: /^\.\/(ssh|session)$/ }, (args) => {
          const owner = Object.entries(stubs).find(([pkg, rel]) => args.path === rel && args.importer.includes(`node_modules/${pkg}/`));
          return owner ? { path: `${owner[0]}${owner[1].slice(1)}`, namespace: "unused-stub" } : undefined;
        });
        b.onLoad({ filter: /.*/, namespace: "unused-stub" }, (args) => ({
          contents: `module.exports = function () { throw new Error(${JSON.stringify(`${args.path} is not part of the Portolan agent (ssh:// Docker hosts and BuildKit builds are not supported)`)}); };`,
          loader: "js",
        }));
      },
    },
  ],
  logLevel: "warning",
});
console.log("built dist/portolan-agent.cjs");
