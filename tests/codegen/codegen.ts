// graphql-codegen config: TypeScript types for the contract's operations, generated from the served SDL.
//
// `npm run codegen` writes generated/ (git-ignored); tests/test_codegen.py points PERMITPATH_CODEGEN_OUT at a
// temporary directory instead, so a test run never touches the tree. An integrator copies this file and changes
// `schema` (the SDL they fetched) and `documents` (their own operations).
import type { CodegenConfig } from "@graphql-codegen/cli";

const out = process.env.PERMITPATH_CODEGEN_OUT ?? "generated";

// Every custom scalar of the schema, both ways. With strictScalars a scalar missing here fails the run instead of
// silently becoming `any`: a new scalar in the schema needs a decision, made here.
const scalars = {
  Date: "string", // ISO date, "2026-01-31"
  DateTime: "string", // ISO date and time
  JSON: "unknown", // any JSON value: the caller narrows it
};

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: "../fixtures/contract/operations.graphql",
  generates: {
    // The schema's types (inputs, enums, objects). Enums as string unions: no runtime code, so the file also
    // compiles under isolatedModules / erasableSyntaxOnly and compares equal to the JSON the API sends.
    [`${out}/schema-types.ts`]: {
      plugins: ["typescript"],
      config: { strictScalars: true, scalars, enumsAsTypes: true },
    },
    // Each operation's result and variables. typescript-operations 6 declares the inputs and enums an operation
    // uses itself unless told where they are, so it imports them from the file above (sharing one file with the
    // `typescript` plugin would declare them twice).
    [`${out}/operations.ts`]: {
      plugins: ["typescript-operations"],
      config: { strictScalars: true, scalars, importSchemaTypesFrom: `${out}/schema-types.ts` },
    },
  },
};

export default config;
