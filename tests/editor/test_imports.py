"""No module of editor/ or messaging/ imports one that imports it back, even inside a function."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    found = {}
    for package in ("editor", "messaging"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


def imported(name, path, known):
    """The known modules a module imports, wherever the import statement sits."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
            targets.add(base)
    found = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def test_no_two_modules_import_each_other():
    known = modules()
    graph = {name: imported(name, path, known) for name, path in known.items()}
    mutual = sorted(
        (name, other)
        for name, others in graph.items()
        for other in others
        if name < other and name in graph[other]
    )
    assert mutual == []


def test_the_checker_sees_an_import_hidden_in_a_function(tmp_path):
    known = {"editor.a": None, "editor.b": None}
    source = tmp_path / "a.py"
    source.write_text("def f():\n    from editor.b import thing\n")
    assert imported("editor.a", source, known) == {"editor.b"}
