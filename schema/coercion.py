"""Variable coercion errors in the error contract: a path from the variables, a code, a short message.

graphql-core coerces the variables before any resolver runs and reports each problem as
"Variable '$scenario' has invalid value at .principal.birthDate: Expected value of type 'Date', ... found:
{the whole object}". A form cannot tie that to its field without parsing English, and the message echoes
what the client sent. `CoercionErrors` rewrites each such error, once the operation is done, into
`scenario.principal.birthDate: <what is wrong>` with `extensions.fieldErrors` holding the same as a
union's `FieldError` (path, code, message); its `extensions.code` stays INVALID_INPUT. A value written in
the document itself is refused by validation with the same messages; those errors get the same shape, the
path starting at the argument (`scenario.asOf`), and INVALID_INPUT instead of GRAPHQL_VALIDATION_FAILED.

The path comes from graphql-core's own message (the variable's name and `print_path_list`'s path, which
holds only names and indexes); what is wrong comes from the inner error graphql-core keeps as
`original_error`, so a value quoted in it is never read back from the message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLSchema,
    ListValueNode,
    Node,
    ObjectValueNode,
    ValueNode,
    value_from_ast_untyped,
    visit,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.language import SKIP, Visitor
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult, StreamExecutionResult

from schema.errors import FieldErrorCode, code_for, field_error_json, short, shown

_VARIABLE = re.compile(r"^Variable '\$(?P<name>\w+)' has invalid value(?: at (?P<at>[\w.\[\]]+))?: ")
_STEP = re.compile(r"\.(\w+)|\[(\d+)\]")
_TYPE = r"'(?P<type>[\w!\[\]]+)'"
_REQUIRED_FIELD = re.compile(rf"^Expected value of type {_TYPE} to include required field '(?P<field>\w+)'")
_UNKNOWN_FIELD = re.compile(rf"^Expected value of type {_TYPE} not to include unknown field '(?P<field>\w+)'")
_NOT_NULL = re.compile(rf"^Expected value of non-null type {_TYPE} not to be None")
_NOT_PROVIDED = re.compile(rf"^Expected a value of non-null type {_TYPE} to be provided")
_NOT_OBJECT = re.compile(rf"^Expected value of type {_TYPE} to be an object")
_SCALAR_ERROR = re.compile(rf"^Expected value of type {_TYPE}, but encountered error")
_BAD_ENUM = re.compile(r"^Value .* does not exist in '(?P<type>\w+)' enum")
_BAD_SCALAR = re.compile(r"^(?P<type>Int|Float|String|Boolean|ID) cannot represent")


def rewrite(error: GraphQLError, variables: Mapping[str, Any] | None, schema: GraphQLSchema) -> GraphQLError:
    """`error` in the contract's shape when it is a variable coercion error, else `error` itself."""
    matched = _VARIABLE.match(error.message)
    if matched is None or error.path is not None:
        return error
    steps: list[str | int] = [matched["name"]]
    steps += [name if name else int(index) for name, index in _STEP.findall(matched["at"] or "")]
    inner = error.original_error
    detail = inner.message if isinstance(inner, GraphQLError) else error.message[matched.end() :]
    cause = inner.original_error if isinstance(inner, GraphQLError) else None
    code, message, field = _explained(detail, cause, _value_at(variables, steps), schema)
    if field is not None:
        steps.append(field)
    return _field_error(error, _printed(steps), code, message, inner)


def _where(node: Node) -> tuple[str, int, int]:
    """A node's kind and place in the text: the same for the same text parsed twice (validation is cached by
    the document's content, so an error's node may come from an earlier parse of the same text)."""
    return (node.kind, node.loc.start, node.loc.end) if node.loc is not None else (node.kind, id(node), -1)


def rewrite_literal(
    error: GraphQLError, paths: Mapping[tuple[str, int, int], str], schema: GraphQLSchema
) -> GraphQLError:
    """A validation error about a literal argument value (`ValuesOfCorrectTypeRule`, whose messages are those
    of variable coercion) in the contract's shape, its path from the argument; else `error` itself."""
    node = error.nodes[0] if error.nodes else None
    if node is None or error.path is not None or _where(node) not in paths:
        return error
    value = value_from_ast_untyped(node) if isinstance(node, ValueNode) else None
    code, message, field = _explained(error.message, error.original_error, value, schema)
    path = paths[_where(node)] + (f".{field}" if field is not None else "")
    return _field_error(error, path, code, message, error.original_error)


def _field_error(
    error: GraphQLError, path: str, code: FieldErrorCode, message: str, original: Exception | None
) -> GraphQLError:
    """`error` again, in the contract's shape: `path: message`, and the one field error in its extensions."""
    entry = field_error_json(path, code, short(message))
    return GraphQLError(
        f"{path}: {entry['message']}",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        original_error=original,
        extensions={"code": "INVALID_INPUT", "fieldErrors": [entry]},
    )


def literal_paths(document: DocumentNode) -> dict[tuple[str, int, int], str]:
    """The path of every value written in the document's arguments, by its place in the text: `scenario`,
    `scenario.principal`, `scenario.offers[0].ref`; an object field's node maps to its object's path (a
    message about an unknown field names the field itself)."""
    paths: dict[tuple[str, int, int], str] = {}

    def walk(node: ValueNode, path: str) -> None:
        paths[_where(node)] = path
        if isinstance(node, ObjectValueNode):
            for field in node.fields:
                paths[_where(field)] = path
                walk(field.value, f"{path}.{field.name.value}")
        elif isinstance(node, ListValueNode):
            for i, item in enumerate(node.values):
                walk(item, f"{path}[{i}]")

    class Arguments(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: object) -> object:
            walk(node.value, node.name.value)
            return SKIP

    visit(document, Arguments())
    return paths


def _explained(
    detail: str, cause: BaseException | None, value: object, schema: GraphQLSchema
) -> tuple[FieldErrorCode, str, str | None]:
    """The code, the message and the field under the path (a missing or unknown field is named one level
    down, where a form shows it) of graphql-core's inner message."""
    if found := _REQUIRED_FIELD.match(detail):
        return FieldErrorCode.REQUIRED, f"is required (a field of {found['type']})", found["field"]
    if found := _UNKNOWN_FIELD.match(detail):
        return FieldErrorCode.UNKNOWN_FIELD, f"is not a field of {found['type']}", found["field"]
    if found := _NOT_NULL.match(detail):
        return FieldErrorCode.NOT_NULL, f"must not be null ({found['type']})", None
    if found := _NOT_PROVIDED.match(detail):
        return FieldErrorCode.REQUIRED, f"is required ({found['type']})", None
    if found := _NOT_OBJECT.match(detail):
        return FieldErrorCode.INVALID_TYPE, f"expected an object ({found['type']}), got {shown(value)}", None
    if found := _BAD_ENUM.match(detail):
        allowed = schema.get_type(found["type"])
        names = ", ".join(allowed.values) if isinstance(allowed, GraphQLEnumType) else ""
        return FieldErrorCode.UNKNOWN_CODE, f"{shown(value)} is not a {found['type']}; allowed: {names}", None
    if found := _BAD_SCALAR.match(detail):
        code = FieldErrorCode.OUT_OF_RANGE if "32-bit" in detail else FieldErrorCode.INVALID_TYPE
        what = "a 32-bit integer" if code is FieldErrorCode.OUT_OF_RANGE else f"{found['type']}"
        return code, f"expected {what}, got {shown(value)}", None
    if _SCALAR_ERROR.match(detail) and cause is not None:
        # A scalar of this schema (Date) refused the value; its message says what is allowed.
        said = str(cause)
        if isinstance(value, str):
            said = said.replace(repr(value), shown(value))
        return code_for(said), said, None
    # A message this module does not know: graphql-core appends the value it refused ("found: {...}"), which
    # may be the client's whole input; the rest says what was expected.
    said = re.split(r"[,;] found: | Found: ", detail, maxsplit=1)[0]
    return code_for(said), said, None


def _value_at(variables: Mapping[str, Any] | None, steps: list[str | int]) -> object:
    """The client's value at `steps` in the variables (None when the path leads nowhere)."""
    value: object = variables or {}
    for step in steps:
        if isinstance(step, int) and isinstance(value, list) and 0 <= step < len(value):
            value = value[step]
        elif isinstance(step, str) and isinstance(value, dict):
            value = value.get(step)
        else:
            return None
    return value


def _printed(steps: list[str | int]) -> str:
    """`scenario.principal.education[0].completion` from its steps."""
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


class CoercionErrors(SchemaExtension):
    """Rewrites variable coercion errors into the error contract (module docstring): a query's or mutation's
    once the operation ends, a subscription's before its result reaches the socket (rewriting is idempotent:
    a rewritten error no longer reads "Variable '$...")."""

    def on_operation(self) -> Iterator[None]:
        """Lets the operation run, then rewrites its result's coercion errors."""
        yield
        self._rewrite(self.execution_context.result)

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        """Rewrites a subscription result's coercion errors before it is sent."""
        self._rewrite(result)
        yield

    def _rewrite(self, result: object) -> None:
        if not isinstance(result, GraphQLExecutionResult | ExecutionResult) or not result.errors:
            return
        context = self.execution_context
        schema = context.schema._schema
        errors = [rewrite(error, context.variables, schema) for error in result.errors]
        document = context.graphql_document
        if document is not None and any(e.path is None and not _VARIABLE.match(e.message) for e in errors):
            paths = literal_paths(document)
            errors = [rewrite_literal(error, paths, schema) for error in errors]
        result.errors = errors
