import { app } from "./http/app";
export { MarketFund } from "./durable-objects/market-fund";

export default app;
