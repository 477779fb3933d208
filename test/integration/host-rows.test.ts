import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostRowCache } from "../../server/domain/hosts/host-rows";
import { createTestServices } from "../support/test-services";

type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let cache: HostRowCache;

beforeAll(async () => {
  services = await createTestServices();
  cache = new HostRowCache(services);
});
afterAll(async () => {
  cache.stop();
  await services.cleanup();
});

const newHost = async (name: string) => (await services.db.host.create({ data: { name, publicKey: name.padEnd(44, "K") } })).id;
const rename = (id: string, name: string) => services.db.host.update({ where: { id }, data: { name } });
const namesOf = async (ids: string[]) => (await cache.read(ids)).map((r) => r.name).sort();

describe("[SCALE] host rows kept for live updates", () => {
  it("keeps rows across container changes and reads a host again after any other change", async () => {
    const a = await newHost("rows-a");
    const b = await newHost("rows-b");
    expect(await namesOf([a, b])).toEqual(["rows-a", "rows-b"]);

    // Written behind the cache's back: a kept row is served as it was.
    await rename(a, "rows-a2");
    await rename(b, "rows-b2");
    services.registry.emit("changed", a, "containers");
    expect(await namesOf([a, b])).toEqual(["rows-a", "rows-b"]);

    // A (re)connect, a snapshot or a revocation drops the host's row: read again, the others kept.
    services.registry.connected(a);
    expect(await namesOf([a, b])).toEqual(["rows-a2", "rows-b"]);
    services.registry.emit("changed", b, "snapshot");
    expect(await namesOf([a, b])).toEqual(["rows-a2", "rows-b2"]);
  });

  it("leaves out revoked and unknown hosts", async () => {
    const c = await newHost("rows-c");
    expect(await namesOf([c, "no-such-host"])).toEqual(["rows-c"]);
    await services.db.host.update({ where: { id: c }, data: { revokedAt: new Date() } });
    services.registry.forget(c);
    expect(await namesOf([c])).toEqual([]);
  });

  it("does not keep a row read while the host changed", async () => {
    const d = await newHost("rows-d");
    const reading = cache.read([d]);
    services.registry.connected(d); // before the query's answer arrives
    await rename(d, "rows-d2");
    expect((await reading).map((r) => r.name)).toEqual(["rows-d"]);
    expect(await namesOf([d])).toEqual(["rows-d2"]);
  });
});
