import { app } from "./http/app";
export { MarketFund } from "./durable-objects/market-fund";
export { TenantDirectory } from "./durable-objects/tenant-directory";
export { WebhookHub } from "./durable-objects/webhook-hub";

export default app;
export { SimulationRuns } from "./durable-objects/simulation-runs";
export { SimulationWorkflow } from "./workflows/simulation-workflow";
