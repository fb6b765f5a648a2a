/**
 * The layering rules of src/ (ARCHITECTURE.md), checked in `npm test` by test/node/layering.test.ts.
 * Run by hand: `npx depcruise src --config .dependency-cruiser.cjs`.
 *
 * Type-only imports count (tsPreCompilationDeps): a type circle is still two modules that cannot be read apart.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-not-to-outer-layers",
      severity: "error",
      comment:
        "The domain is the pure core: plain data in, result out. It never reaches up into the HTTP layer, the Durable Objects, the workflows or the Worker's bindings.",
      from: { path: "^src/domain/" },
      to: { path: "^src/(http|durable-objects|workflows)/|^src/(env|index)\\.ts$" },
    },
    {
      name: "domain-no-platform",
      severity: "error",
      comment: "The domain runs in plain Node (tests, benchmarks, the stress lab): no Hono, no `cloudflare:*` modules.",
      from: { path: "^src/domain/" },
      to: { path: "^cloudflare:|(^|/)node_modules/(hono|@hono)/" },
    },
    {
      name: "no-circular",
      severity: "error",
      comment: "An import circle means two modules are one concept split in two, or a shared piece is missing.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "specification-not-to-fast",
      severity: "error",
      comment:
        "An acceleration lives in a fast/ folder beside the specification it accelerates, under the same file name (spec/rule.ts, spec/fast/rule.ts); it may import the specification, never the reverse. Other modules of the folder (the simulator, say) may choose the accelerated path. A specification importing any acceleration that imports it back is also caught by no-circular.",
      from: { path: "^(src/.+/)([^/]+)\\.ts$", pathNot: "/fast/" },
      to: { path: "^$1fast/$2\\.ts$" },
    },
    {
      name: "specification-folder-not-to-fast",
      severity: "error",
      comment:
        "The same rule for a specification folder with its accelerations beside it (policies/spec/ and policies/fast/, ranking/spec/ and ranking/fast/): x/spec/** never imports x/fast/**; x/fast/** imports x/spec/** freely.",
      from: { path: "^(src/.+/)spec/" },
      to: { path: "^$1fast/" },
    },
    {
      name: "policies-spec-stands-alone",
      severity: "error",
      comment:
        "src/domain/policies/spec/ is the readable specification the accelerated policies are proven equal to: it may use the domain's formulas, never the policies it specifies.",
      from: { path: "^src/domain/policies/spec/" },
      to: { path: "^src/domain/policies/(?!spec/)" },
    },
    {
      name: "ranking-spec-stands-alone",
      severity: "error",
      comment:
        "src/domain/ranking/spec/ is the readable specification the service's ranking (ranking/rank.ts over ranking/fast/) is proven equal to: it may use the domain's formulas and the numeric vocabulary (num/: the exact rationals), never the ranking it specifies.",
      from: { path: "^src/domain/ranking/spec/" },
      to: { path: "^src/domain/ranking/(?!spec/)" },
    },
    {
      name: "num-is-the-bottom-layer",
      severity: "error",
      comment:
        "src/domain/num/ is the numeric vocabulary every formula is written in (decimals, rationals, scaled integers, double screens, rounding modes): it imports only itself and the domain's error and option types (fields.ts, types.ts, vocabulary.ts), never a formula, so a convention changes in one place.",
      from: { path: "^src/domain/num/" },
      to: { path: "^src/domain/(?!num/|fields\\.ts$|types\\.ts$|vocabulary\\.ts$)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
