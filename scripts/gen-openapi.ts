// `npm run openapi`: regenerate openapi.yaml. A test fails when the committed file differs from this output.
import { writeFileSync } from "node:fs";
import { openApiYaml } from "./openapi-document";

writeFileSync(new URL("../openapi.yaml", import.meta.url), openApiYaml());
console.log("wrote openapi.yaml");
