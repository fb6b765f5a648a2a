// Types for `env` / `exports` from "cloudflare:workers" inside tests.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../src/index");
    durableNamespaces: "MarketFund" | "TenantDirectory" | "SimulationRuns";
  }
  interface Env extends import("../src/env").Bindings {}
}
