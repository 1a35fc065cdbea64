"""Apps depend one way: roadmap (content) <- quizzes <- learning <- accounts, all on the caching package, and never
on the project's wiring (config's urls, settings, celery). A test walks every import, lazy ones included."""

import ast
from pathlib import Path

from django.conf import settings

# Lowest first: each may import only those before it.
LAYERS = ["caching", "roadmap", "quizzes", "learning", "accounts"]
# config is the project: its urls, settings, celery app and health check import the apps. The apps may use its
# request plumbing, which imports no app.
CONFIG_PLUMBING = {
    "config.api_schema", "config.bad_requests", "config.json_parsing", "config.nul_characters",
    "config.pagination", "config.rate_limits", "config.strict_input",
}
ROOT = Path(settings.BASE_DIR)


def imports_of(package: str, root: Path = ROOT) -> list[tuple[str, int, str]]:
    """(file, line, module) for every absolute import in the package's code, migrations left out."""
    found = []
    for path in sorted((root / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found += [(str(path.relative_to(root)), node.lineno, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((str(path.relative_to(root)), node.lineno, node.module))
    return found


def project_packages() -> set[str]:
    return set(LAYERS) | {"config", "bench", "tests"}


def test_every_local_app_has_a_layer():
    local_apps = {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()}
    assert local_apps <= set(LAYERS), f"give {local_apps - set(LAYERS)} a place in LAYERS"


def test_apps_import_only_the_layers_below_them():
    wrong = []
    for rank, package in enumerate(LAYERS):
        for path, line, module in imports_of(package):
            top = module.split(".")[0]
            if top == package or top not in project_packages():
                continue
            if top == "config" and module in CONFIG_PLUMBING:
                continue
            if top in LAYERS and LAYERS.index(top) < rank:
                continue
            wrong.append(f"{path}:{line} imports {module}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_config_plumbing_imports_no_app():
    for module in CONFIG_PLUMBING:
        path = module.replace(".", "/") + ".py"
        tops = {m.split(".")[0] for p, _, m in imports_of("config") if p == path}
        assert not tops & set(LAYERS), f"{module} imports {tops & set(LAYERS)}"


def test_the_walk_sees_lazy_imports(tmp_path):
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "lazy.py").write_text("def f():\n    from accounts.models import User\n    return User\n")
    assert imports_of("probe", root=tmp_path) == [("probe/lazy.py", 2, "accounts.models")]
