import { app } from "./http/app";
export { MarketFund } from "./durable-objects/market-fund";
export { TenantDirectory } from "./durable-objects/tenant-directory";

export default app;
