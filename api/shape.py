"""The shape of an operation: what the endpoint checks of it before running it, whoever sends it.

Whether it is a mutation, its root fields (through fragments), whether it introspects, whether it solves,
and a literal over the limits of api/limits.py. Computed once per document text, like strawberry's own
parse and validation.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    visit,
)
from graphql.language import Visitor
from graphql.utilities import get_operation_ast
from strawberry.extensions.parser_cache import _get_parse_cache

from api.limits import LimitProblem, Limits, document_problem
from schema.cost import COUNTED_FIELDS
from schema.limits import MAX_TOKENS
from schema.plan_diff import SOLVING_FIELDS as DIFF_SOLVING_FIELDS
from schema.plan_jobs import READING_FIELDS as JOB_READING_FIELDS
from schema.plan_jobs import SOLVING_FIELDS
from schema.root import CACHE_SIZE
from solver.alternatives import DEFAULT_COUNT, MAX_COUNT, MIN_COUNT

# Root fields that solve (planScenario, and the planner's later plan operations) cost `plan_cost` tokens.
PLAN_FIELD_PREFIX = "plan"


def solves(root_field: str) -> bool:
    """Whether a root field starts a solve: `plan...` fields but the job reads, and `startPlan`."""
    if root_field in SOLVING_FIELDS or root_field in DIFF_SOLVING_FIELDS:
        return True
    return root_field.startswith(PLAN_FIELD_PREFIX) and root_field not in JOB_READING_FIELDS


# A root field that solves `count` plans: its `count` argument as a literal, as a variable's name, or absent.
Count = int | str | None


@dataclass(frozen=True)
class DocumentShape:
    """What the endpoint checks of an operation before running it, whoever sends it."""

    mutation: bool
    roots: frozenset[str]
    introspects: bool
    problem: LimitProblem | None
    # The `count` of each root field that solves several plans (planAlternatives, planHouseholdAlternatives).
    counts: tuple[Count, ...] = ()

    @property
    def solves(self) -> bool:
        """Whether the operation starts a solve (it costs `plan_cost` and its caller's hang-up cancels it)."""
        return any(solves(name) for name in self.roots)

    def plans(self, variables: dict[str, object]) -> int:
        """How many plans' cost the operation is charged: one for its single-plan fields together, plus each
        alternatives field's `count` (with the variables' values; within MIN_COUNT..MAX_COUNT); 0 when it
        does not solve."""
        if not self.solves:
            return 0
        single = any(solves(name) and name not in COUNTED_FIELDS for name in self.roots)
        return int(single) + sum(_count(count, variables) for count in self.counts)


def _count(count: Count, variables: dict[str, object]) -> int:
    """The number of plans a `count` argument asks for; the field's default when it is absent or not an Int (the
    resolver refuses a bad one without solving, and the charge is handed back)."""
    value = variables.get(count) if isinstance(count, str) else count
    if not isinstance(value, int) or isinstance(value, bool):
        return DEFAULT_COUNT
    return min(max(value, MIN_COUNT), MAX_COUNT)


# A document that does not parse: nothing to check here, strawberry answers with the syntax error.
UNPARSED = DocumentShape(mutation=False, roots=frozenset(), introspects=False, problem=None)


@functools.lru_cache(maxsize=CACHE_SIZE)
def document_shape(text: str, operation_name: str | None, limits: Limits) -> DocumentShape | None:
    """The shape of the operation `operation_name` of `text` (None when it does not parse), computed once per
    document like strawberry's parse and validation: a frontend sends the same few documents all day."""
    document = parsed(text)
    if document is None:
        return None
    operation = get_operation_ast(document, operation_name)
    nodes = root_nodes(document, operation) if operation is not None else []
    return DocumentShape(
        mutation=operation is not None and operation.operation is OperationType.MUTATION,
        roots=frozenset(node.name.value for node in nodes),
        introspects=introspects(document),
        problem=document_problem(document, limits),
        counts=tuple(count_argument(node) for node in nodes if node.name.value in COUNTED_FIELDS),
    )


def parsed(text: str) -> DocumentNode | None:
    """The document, or None when strawberry will report why not.

    Parsed through strawberry's own parser cache with the schema's token limit (the same call its
    `ParserCache` makes), so the view and strawberry share one parse and one document per text.
    """
    try:
        document: DocumentNode = _get_parse_cache(CACHE_SIZE)(text, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return None
    return document


def root_fields(document: DocumentNode, operation: OperationDefinitionNode) -> frozenset[str]:
    """The names of the root fields an operation selects (through fragments too)."""
    return frozenset(node.name.value for node in root_nodes(document, operation))


def count_argument(node: FieldNode) -> Count:
    """A field's `count` argument: the literal, the variable's name, or None when it is left out."""
    for argument in node.arguments or ():
        if argument.name.value == "count":
            if isinstance(argument.value, IntValueNode):
                return int(argument.value.value)
            if isinstance(argument.value, VariableNode):
                return argument.value.name.value
    return None


def root_nodes(document: DocumentNode, operation: OperationDefinitionNode) -> list[FieldNode]:
    """The root fields an operation selects (through fragments too), each selection once."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    names: list[FieldNode] = []

    def collect(selection_set: SelectionSetNode, seen: frozenset[str]) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                collect(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    collect(fragment.selection_set, seen | {selection.name.value})

    collect(operation.selection_set, frozenset())
    return names


def introspects(document: DocumentNode) -> bool:
    """Whether the document asks for the schema (`__schema`, `__type`)."""
    found: list[bool] = []

    class Introspection(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            if node.name.value in ("__schema", "__type"):
                found.append(True)

    visit(document, Introspection())
    return bool(found)
