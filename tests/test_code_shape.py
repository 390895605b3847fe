"""The shape the style asks for, kept by a test: small modules, short functions.

Declarations (the flow's table of steps, the catalog of places, the schema) are data, not
logic, so they are exempt; test modules are free.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Data declared as Python: long by nature, and read as tables.
DECLARATIONS = {
    "handlers/flow.py",
    "bot/domain/places.py",
    "storage/migrations.py",
    "bot/domain/bank_directory.py",
}


def sources() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in sources()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
        and str(path.relative_to(ROOT)) not in DECLARATIONS
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_is_over_60_lines() -> None:
    long = {}
    for path in sources():
        if str(path.relative_to(ROOT)) in DECLARATIONS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = lines
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"
