import { startOwnServer } from "./own-server";

export { E2E_ADMIN } from "./own-server";

/**
 * One real server (production build, fresh SQLite file) for the whole e2e run. Its URL and folder go
 * to the tests through the environment; the returned teardown stops it.
 */
export default async function globalSetup() {
  const server = await startOwnServer();
  process.env.E2E_URL = server.url;
  process.env.E2E_DIR = server.dir;
  process.env.E2E_DATABASE_URL = server.databaseUrl;
  return server.teardown;
}
