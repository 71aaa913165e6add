"""`permitpath keys create|list|revoke` and `permitpath documents register|list|revoke`.

An operator's tools for a tenant (`--tenant SLUG`, default the configured tenant, created when missing
by `keys create`): API keys, shown once when created, and trusted-document manifests. Every change is
written with its audit row, naming the command line as the actor.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.documents import parse_manifest
from api.keys import Role, generate_key
from api.settings import Settings
from db.engine import make_engine, make_sessions
from db.migrate import upgrade
from db.models import ApiKey
from db.repositories.access import Access, find_api_key
from db.repositories.scoped import Actor
from db.repositories.tenants import ensure_tenant, find_tenant
from schema.manifest import digest_of, invalid_operations
from schema.root import schema

CLI = Actor("cli")
Action = Callable[[async_sessionmaker[AsyncSession], str, argparse.Namespace], Awaitable[int]]


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", help="the database (default: $DATABASE_URL, else ./permitpath.db)")
    parser.add_argument("--tenant", help="the firm's slug (default: $PERMITPATH_TENANT, else demo)")


def configure_keys(parser: argparse.ArgumentParser) -> None:
    """Flags of `permitpath keys`."""
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a key and print it (shown only once)")
    _common(create)
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument("--name", required=True, help="who or what uses the key (shown in the audit trail)")
    listing = actions.add_parser("list", help="list the tenant's keys (never their secrets)")
    _common(listing)
    revoke = actions.add_parser("revoke", help="revoke a key by its id (the 12 hex digits after pp_)")
    _common(revoke)
    revoke.add_argument("key_id")


def configure_documents(parser: argparse.ArgumentParser) -> None:
    """Flags of `permitpath documents`."""
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    register = actions.add_parser("register", help="register a manifest {sha256: operation text} for the tenant")
    _common(register)
    register.add_argument("file", type=Path)
    listing = actions.add_parser("list", help="list the tenant's registered documents")
    _common(listing)
    revoke = actions.add_parser("revoke", help="revoke a registered document (sha256:<hex>)")
    _common(revoke)
    revoke.add_argument("document_id")


def run_keys(args: argparse.Namespace) -> int:
    """Run `permitpath keys ACTION`."""
    actions: dict[str, Action] = {
        "create": _create_key,
        "list": _list_keys,
        "revoke": _revoke_key,
    }
    return _run(args, actions[args.action])


def run_documents(args: argparse.Namespace) -> int:
    """Run `permitpath documents ACTION`."""
    actions: dict[str, Action] = {
        "register": _register,
        "list": _list_documents,
        "revoke": _revoke_document,
    }
    return _run(args, actions[args.action])


def _run(args: argparse.Namespace, action: Action) -> int:
    settings = Settings.from_env().with_overrides(database_url=args.database_url, tenant_slug=args.tenant)

    async def main() -> int:
        engine = make_engine(settings.database_url)
        try:
            if settings.migrates_on_start:
                await upgrade(engine)
            return await action(make_sessions(engine), settings.tenant_slug, args)
        finally:
            await engine.dispose()

    try:
        status = asyncio.run(main())
    except (OSError, ConnectionError) as error:
        print(f"permitpath: cannot reach the database ({error}); check --database-url", file=sys.stderr)
        return 1
    return status


async def _tenant_id(sessions: async_sessionmaker[AsyncSession], slug: str) -> int | None:
    async with sessions() as session:
        tenant = await find_tenant(session, slug)
    if tenant is None:
        print(
            f"permitpath: no tenant {slug!r}; create a key for it first (keys create --tenant {slug})", file=sys.stderr
        )
        return None
    return tenant.id


async def _create_key(sessions: async_sessionmaker[AsyncSession], slug: str, args: argparse.Namespace) -> int:
    new = generate_key()
    async with sessions() as session, session.begin():
        tenant_id = (await ensure_tenant(session, slug=slug, name=slug)).id
    # A session of its own for the repository: its transaction carries the tenant (row-level security).
    async with sessions() as session, session.begin():
        repo = Access(session, tenant_id=tenant_id, actor=CLI)
        values = {"key_id": new.key_id, "name": args.name, "role": args.role, "secret_hash": new.secret_hash}
        await repo.add(ApiKey, values)
    print(
        f"created {args.role} key {new.key_id} ({args.name}) of tenant {slug}; it is shown only now:", file=sys.stderr
    )
    print(new.plaintext)
    return 0


async def _list_keys(sessions: async_sessionmaker[AsyncSession], slug: str, args: argparse.Namespace) -> int:
    tenant_id = await _tenant_id(sessions, slug)
    if tenant_id is None:
        return 1
    async with sessions() as session:
        keys = await Access(session, tenant_id=tenant_id).api_keys()
    for key in keys:
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        print(f"{key.key_id}  {key.role:<10}  {state:<18}  {key.name}")
    return 0


async def _revoke_key(sessions: async_sessionmaker[AsyncSession], slug: str, args: argparse.Namespace) -> int:
    async with sessions() as session:
        key = await find_api_key(session, args.key_id)
        tenant = await find_tenant(session, slug)
    if key is None or tenant is None or key.tenant_id != tenant.id:
        print(f"permitpath: tenant {slug} has no key {args.key_id!r}", file=sys.stderr)
        return 1
    async with sessions() as session, session.begin():
        await Access(session, tenant_id=tenant.id, actor=CLI).revoke_api_key(args.key_id)
    print(f"revoked key {args.key_id}")
    return 0


async def _register(sessions: async_sessionmaker[AsyncSession], slug: str, args: argparse.Namespace) -> int:
    try:
        manifest = parse_manifest(args.file.read_bytes())
    except (OSError, ValueError) as error:
        print(f"permitpath documents register: {args.file}: {error}", file=sys.stderr)
        return 2
    if problems := invalid_operations(schema._schema, manifest):
        for problem in problems:
            print(f"permitpath documents register: {args.file}: {problem}", file=sys.stderr)
        return 2
    tenant_id = await _tenant_id(sessions, slug)
    if tenant_id is None:
        return 1
    async with sessions() as session, session.begin():
        rows = await Access(session, tenant_id=tenant_id, actor=CLI).register_documents(manifest)
    for row in rows:
        print(f"sha256:{row.digest}")
    return 0


async def _list_documents(sessions: async_sessionmaker[AsyncSession], slug: str, args: argparse.Namespace) -> int:
    tenant_id = await _tenant_id(sessions, slug)
    if tenant_id is None:
        return 1
    async with sessions() as session:
        rows = await Access(session, tenant_id=tenant_id).documents()
    for row in rows:
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        first_line = row.text.strip().splitlines()[0][:60]
        print(f"sha256:{row.digest}  {state:<18}  {first_line}")
    return 0


async def _revoke_document(sessions: async_sessionmaker[AsyncSession], slug: str, args: argparse.Namespace) -> int:
    digest = digest_of(args.document_id)
    tenant_id = await _tenant_id(sessions, slug)
    if tenant_id is None:
        return 1
    async with sessions() as session, session.begin():
        row = await Access(session, tenant_id=tenant_id, actor=CLI).revoke_document(digest) if digest else None
    if row is None:
        print(f"permitpath: tenant {slug} registered no document {args.document_id!r}", file=sys.stderr)
        return 1
    print(f"revoked {args.document_id}")
    return 0
