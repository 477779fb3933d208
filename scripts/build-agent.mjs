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
  // ssh transport of docker-modem: optional native addons we never use.
  external: ["cpu-features", "./crypto/build/Release/sshcrypto.node"],
  logLevel: "warning",
});
console.log("built dist/portolan-agent.cjs");
