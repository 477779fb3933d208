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
  // Parts of the Docker client the agent never uses cost memory once loaded (the target is an agent
  // under 60 MB): docker-modem's ssh transport (ssh2 and its crypto) and dockerode's BuildKit session
  // (gRPC + protobuf). They are replaced by stubs that fail clearly if ever called.
  plugins: [
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
