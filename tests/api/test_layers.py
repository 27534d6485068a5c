"""The floors of the house: accounts is the ground floor and imports no domain app."""

import ast
from pathlib import Path

from django.conf import settings

import backend

ROOT = Path(backend.__file__).parent
# Not domains: infrastructure every floor may use.
INFRASTRUCTURE = {"backend.accounts", "backend.ratelimit", "backend.jobs"}
DOMAINS = {app for app in settings.INSTALLED_APPS if app.startswith("backend.")} - INFRASTRUCTURE | {"backend.access"}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Absolute module names imported by a file (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _domain_imports(folder: Path, *, allowed: tuple[str, ...] = ()) -> list[str]:
    own = f"backend.{folder.name}"
    bad = []
    for path in sorted(folder.rglob("*.py")):
        for line, module in _imports(path):
            if module == own or module.startswith(own + ".") or module in allowed or module.startswith(tuple(a + "." for a in allowed)):
                continue
            if any(module == d or module.startswith(d + ".") for d in DOMAINS):
                bad.append(f"{path.relative_to(ROOT.parent)}:{line} imports {module}")
    return bad


def test_it_keeps_accounts_free_of_domain_apps():
    # Migrations included: accounts' own history may not name a domain either, except the
    # initial 0002 that once added the enterprise/owner-unit columns (dropped by 0004).
    bad = [b for b in _domain_imports(ROOT / "accounts") if "/migrations/0002_initial.py" not in b]
    assert not bad, "\n".join(bad)


def test_it_would_see_a_domain_import(tmp_path, monkeypatch):
    sneaky = ROOT / "accounts" / "_sneaky_for_test.py"
    sneaky.write_text("from backend.enterprises.models import Enterprise\nfrom ..sites import models\n")
    try:
        assert len(_domain_imports(ROOT / "accounts")) >= 2
    finally:
        sneaky.unlink()


def test_it_keeps_notifications_free_of_domain_apps():
    # access.core (roles, "admins only") knows only accounts; access's domain modules are off limits.
    bad = _domain_imports(ROOT / "notifications", allowed=("backend.access.core",))
    bad = [b for b in bad if not b.endswith(" imports backend.access")]  # "from backend.access import core"
    assert not bad, "\n".join(bad)
