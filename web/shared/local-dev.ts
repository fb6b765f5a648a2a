/**
 * The public development key of tenant "dev" (.dev.vars.example, README). Pages offer it only when they are served
 * from the loopback interface, i.e. by `npm start` on the developer's own machine: it is useless anywhere else, and a
 * deployed page must not suggest it.
 */
export const LOCAL_DEV_KEY = "adl_dev_local_only_not_a_secret_tenant_dev";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function servedFromLoopback(location: Pick<Location, "hostname"> = window.location): boolean {
  return LOOPBACK_HOSTS.has(location.hostname);
}
