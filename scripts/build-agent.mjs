// Bundles the host agent into one file that runs with plain `node` on a host without a checkout.
import { build } from "esbuild";

await build({
  entryPoints: ["agents/host/main.ts"],
  outfile: "dist/portolan-agent.cjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: false,
  legalComments: "none",
  // The agent talks to Docker over its unix socket (or tcp), never over ssh: docker-modem's ssh
  // transport (ssh2 and its crypto, ~18 MB of heap once loaded) is replaced by a stub that says so.
  plugins: [
    {
      name: "no-ssh-transport",
      setup(b) {
        b.onResolve({ filter: /^\.\/ssh$/ }, (args) => (args.importer.includes("docker-modem") ? { path: "docker-modem-ssh", namespace: "stub" } : undefined));
        b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
          contents: 'module.exports = function () { throw new Error("the Portolan agent does not support ssh:// Docker hosts; use the unix socket or tcp"); };',
          loader: "js",
        }));
      },
    },
  ],
  logLevel: "warning",
});
console.log("built dist/portolan-agent.cjs");
