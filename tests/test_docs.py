"""Documentation that is checked: settings listed everywhere, the flow diagram current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.domain.errors import ConfigurationError
from bot.settings import Settings, load_settings
from handlers.diagram import document

ROOT = Path(__file__).resolve().parent.parent
SETTING_NAMES = sorted(name.upper() for name in Settings.model_fields)


def _env_example_names() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_every_setting_is_in_env_example() -> None:
    assert set(SETTING_NAMES) <= _env_example_names()
    assert _env_example_names() <= set(SETTING_NAMES), "stale names in .env.example"


def test_every_setting_is_in_the_readme_table_with_its_default() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        row = re.search(rf"^\| `{name.upper()}` \| ([^|]+) \|", readme, flags=re.MULTILINE)
        assert row, f"{name.upper()} is not in the README's configuration table"
        assert row.group(1) == _readme_default(field.default), f"{name.upper()} default differs"


def _readme_default(value: object) -> str:
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    return "(unset)" if value in (None, "") else f"`{value}`"


def test_readme_quick_start_is_the_two_make_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    assert re.findall(r"^make \w+$", quick_start, flags=re.MULTILINE) == ["make run", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_flow_diagram_is_current() -> None:
    current = (ROOT / "docs" / "flow.md").read_text(encoding="utf-8")
    assert current == document(), "docs/flow.md is stale: run `make diagram`"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("RESUME_AFTER_MINUTES", "soon"), ("LOG_LEVEL", "LOUD"), ("MAX_ATTACHMENT_MB", "500")],
)
def test_a_wrong_setting_names_itself(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=variable):
        load_settings(env_file=None)


@pytest.mark.slow
def test_a_wrong_setting_stops_start_up(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "RESUME_AFTER_MINUTES": "0", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "console"],
        cwd=tmp_path,
        env=env,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "RESUME_AFTER_MINUTES" in result.stderr


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVEL=DEBUG\n", encoding="utf-8")
    assert load_settings(env_file=env_file).log_level == "DEBUG"
