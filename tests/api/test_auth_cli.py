"""`permitpath keys` and `permitpath documents`: keys shown once and usable, manifests registered."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import pytest

from api.cli import main
from tests.api.conftest import serve, settings_for

QUERY = "query Version { rulesVersion }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


async def test_keys_create_list_revoke_and_documents_register(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def cli(*argv: str) -> tuple[int, str, str]:
        return run(capsys, *argv, "--database-url", url, "--tenant", "acme")

    status, out, err = await asyncio.to_thread(cli, "keys", "create", "--role", "integrator", "--name", "Partner")
    key = out.strip()
    key_id = key.split("_")[1]
    assert (status, err) == (0, f"created integrator key {key_id} (Partner) of tenant acme; it is shown only now:\n")
    assert key.startswith(f"pp_{key_id}_")

    status, out, _ = await asyncio.to_thread(cli, "keys", "list")
    assert status == 0
    assert out.split() == [key_id, "integrator", "active", "Partner"]

    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({f"sha256:{DIGEST}": QUERY}))
    assert await asyncio.to_thread(cli, "documents", "register", str(manifest)) == (0, f"sha256:{DIGEST}\n", "")
    status, out, _ = await asyncio.to_thread(cli, "documents", "list")
    assert out.split() == [f"sha256:{DIGEST}", "active", "query", "Version", "{", "rulesVersion", "}"]

    async with serve(settings_for(url)) as service:
        ran = await service.post({"documentId": f"sha256:{DIGEST}"}, key)
        assert (ran.status_code, set(ran.json()["data"])) == (200, {"rulesVersion"})
        assert await asyncio.to_thread(cli, "documents", "revoke", f"sha256:{DIGEST}") == (
            0,
            f"revoked sha256:{DIGEST}\n",
            "",
        )
        assert (await service.post({"documentId": f"sha256:{DIGEST}"}, key)).status_code == 400
        assert await asyncio.to_thread(cli, "keys", "revoke", key_id) == (0, f"revoked key {key_id}\n", "")
        assert (await service.post({"documentId": f"sha256:{DIGEST}"}, key)).status_code == 401

    status, out, _ = await asyncio.to_thread(cli, "keys", "list")
    assert out.split()[:3] == [key_id, "integrator", "revoked"]


def test_a_bad_manifest_is_refused_naming_the_entry(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "bad.json"
    manifest.write_text(json.dumps({"0" * 64: QUERY}))
    status, out, err = run(capsys, "documents", "register", str(manifest), "--database-url", url, "--tenant", "acme")
    assert (status, out) == (2, "")
    entry = "0" * 64
    assert (
        err
        == f"permitpath documents register: {manifest}: manifest entry {entry!r}: the sha256 of its text is {DIGEST}\n"
    )


def test_unknown_tenants_and_keys_are_explained(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "keys", "list", "--database-url", url, "--tenant", "nobody") == (
        1,
        "",
        "permitpath: no tenant 'nobody'; create a key for it first (keys create --tenant nobody)\n",
    )
    assert run(capsys, "keys", "revoke", "0" * 12, "--database-url", url, "--tenant", "nobody") == (
        1,
        "",
        f"permitpath: tenant nobody has no key {'0' * 12!r}\n",
    )


def test_a_manifest_entry_that_would_not_run_is_refused(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = "query Broken { rulesVersion(x: 1) }"
    digest = hashlib.sha256(broken.encode()).hexdigest()
    manifest = tmp_path / "broken.json"
    manifest.write_text(json.dumps({digest: broken}))
    status, out, err = run(capsys, "documents", "register", str(manifest), "--database-url", url, "--tenant", "acme")
    assert (status, out) == (2, "")
    problem = "Unknown argument 'x' on field 'Query.rulesVersion'."
    assert err == f"permitpath documents register: {manifest}: sha256:{digest}: {problem}\n"
