// A flooding agent in a process of its own (so the test's own timings are not slowed by the flood):
// logs in with an enrolled key, sends `RATE` container changes a second until the server cuts it off or
// `MAX_SECONDS` pass, then prints one JSON line of what happened.
import crypto from "node:crypto";
import { RawAgent } from "../../support/raw-agent";

const { URL: url, KEY_PEM, MESSAGE, RATE = "10000", MAX_SECONDS = "20" } = process.env;
const privateKey = crypto.createPrivateKey(KEY_PEM!);
const agent = new RawAgent(url!, { privateKey, publicKey: crypto.createPublicKey(privateKey) });
const message: unknown = JSON.parse(MESSAGE!);

async function main(): Promise<void> {
  const login = await agent.login();
  if (!login.ok) throw new Error(`login: ${login.error.message}`);
  let disconnect: string | null = null;
  let cutAfterMs: number | null = null;
  const started = performance.now();
  agent.socket.once("disconnect", (reason) => ((disconnect = reason), (cutAfterMs = performance.now() - started)));
  const refusals: string[] = [];
  let sent = 0;
  const rate = Number(RATE);
  while (!disconnect && performance.now() - started < Number(MAX_SECONDS) * 1000) {
    const due = Math.min(5_000, Math.floor(((performance.now() - started) / 1000) * rate) - sent);
    for (let i = 0; i < due; i++) agent.socket.emit("container:change", message);
    if (due > 0 && Math.floor((sent + due) / 5_000) > Math.floor(sent / 5_000)) {
      void agent.send("container:change", message).then((ack) => !ack.ok && refusals.push(ack.error.code), () => undefined);
    }
    sent += Math.max(0, due);
    await new Promise((r) => setTimeout(r, 2));
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ sent, seconds, rate: sent / seconds, refusals, disconnect, cutAfterMs }) + "\n");
  agent.close();
}

main().then(
  () => process.exit(0),
  (err: Error) => (process.stderr.write(`flood-agent: ${err.message}\n`), process.exit(1)),
);
