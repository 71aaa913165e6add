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
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    visit,
)
from graphql.language import Visitor
from graphql.utilities import get_operation_ast
from strawberry.extensions.parser_cache import _get_parse_cache

from api.limits import LimitProblem, Limits, document_problem
from schema.limits import MAX_TOKENS
from schema.plan_diff import SOLVING_FIELDS as DIFF_SOLVING_FIELDS
from schema.plan_jobs import READING_FIELDS as JOB_READING_FIELDS
from schema.plan_jobs import SOLVING_FIELDS
from schema.root import CACHE_SIZE

# Root fields that solve (planScenario, and the planner's later plan operations) cost `plan_cost` tokens.
PLAN_FIELD_PREFIX = "plan"


def solves(root_field: str) -> bool:
    """Whether a root field starts a solve: `plan...` fields but the job reads, and `startPlan`."""
    if root_field in SOLVING_FIELDS or root_field in DIFF_SOLVING_FIELDS:
        return True
    return root_field.startswith(PLAN_FIELD_PREFIX) and root_field not in JOB_READING_FIELDS


@dataclass(frozen=True)
class DocumentShape:
    """What the endpoint checks of an operation before running it, whoever sends it."""

    mutation: bool
    roots: frozenset[str]
    introspects: bool
    problem: LimitProblem | None

    @property
    def solves(self) -> bool:
        """Whether the operation starts a solve (it costs `plan_cost` and its caller's hang-up cancels it)."""
        return any(solves(name) for name in self.roots)


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
    return DocumentShape(
        mutation=operation is not None and operation.operation is OperationType.MUTATION,
        roots=root_fields(document, operation) if operation is not None else frozenset(),
        introspects=introspects(document),
        problem=document_problem(document, limits),
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
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    names: set[str] = set()

    def collect(selection_set: SelectionSetNode, seen: frozenset[str]) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                collect(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    collect(fragment.selection_set, seen | {selection.name.value})

    collect(operation.selection_set, frozenset())
    return frozenset(names)


def introspects(document: DocumentNode) -> bool:
    """Whether the document asks for the schema (`__schema`, `__type`)."""
    found: list[bool] = []

    class Introspection(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            if node.name.value in ("__schema", "__type"):
                found.append(True)

    visit(document, Introspection())
    return bool(found)
