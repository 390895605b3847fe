"""Every setting is an environment variable (a `.env` file works too).

The README's configuration table and `.env.example` list the same names; a test keeps the
three in step. A wrong value stops start-up with a message that names the variable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigurationError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_path: Path = Field(default=Path("data/bot.db"))
    evidence_dir: Path = Field(default=Path("data/evidence"))
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    resume_after_minutes: int = Field(default=30, ge=1, le=60 * 24 * 30)
    max_attachment_mb: int = Field(default=10, ge=1, le=50)


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Reads the environment (and `env_file` if present) or raises a ConfigurationError
    that names each wrong variable, so a deployer sees at once what to fix."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as error:
        problems = "; ".join(
            f"{str(issue['loc'][0]).upper()}: {issue['msg']}" for issue in error.errors()
        )
        raise ConfigurationError(f"Invalid setting(s): {problems}") from error
