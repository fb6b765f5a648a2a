import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type LocalServer } from "./server";

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

it("the README's start command serves /healthz, /openapi.json and /docs on loopback", async () => {
  expect(server.output()).toContain(`http://127.0.0.1:${server.port}`);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const spec = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string };
  expect(spec.openapi).toBe("3.1.0");
  const docs = await fetch(`${server.url}/docs`);
  expect(docs.headers.get("content-type")).toContain("text/html");
});
