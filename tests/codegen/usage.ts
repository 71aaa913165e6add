// Code an integrator would write against the generated types: tsc --strict must accept it as it stands, so a
// change to the schema or the generator that breaks such code fails tests/test_codegen.py.
import type {
  PermitCategoriesQuery,
  PermitCategoriesQueryVariables,
  PlanScenarioQuery,
} from "./generated/operations";

// The Date scalar is an ISO string both ways.
export const variables: PermitCategoriesQueryVariables = { asOf: "2026-01-31" };

export function openCodes(result: PermitCategoriesQuery): string[] {
  return result.permitCategories.filter((category) => category.open).map((category) => category.code);
}

// planScenario is a union: narrowing on __typename reaches each member's fields.
export function summary(result: PlanScenarioQuery): string {
  const answer = result.planScenario;
  switch (answer.__typename) {
    case "Plan": {
      const ready: string | null = answer.prReadyDate;
      const steps = answer.steps.map((step) => `${step.date} ${step.person} ${step.action}`);
      const head = `${answer.status}: PR ready ${ready ?? "not in the horizon"}, fees ${answer.fees.total}`;
      return [head, ...steps].join("\n");
    }
    case "InvalidScenario":
      return answer.errors.map((error) => `${error.path}: ${error.message}`).join("\n");
    default:
      // A member the schema adds later arrives with only its __typename.
      return "unknown answer";
  }
}
