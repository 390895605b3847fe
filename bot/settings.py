"""Every setting is an environment variable (a `.env` file works too).

The README's configuration table and `.env.example` list the same names; a test keeps the
three in step. A wrong value stops start-up with a message that names the variable.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.errors import ConfigurationError
from bot.domain.reference import DEMO_REFERENCE_KEY

MIN_REFERENCE_KEY_LENGTH = 16


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_path: Path = Field(default=Path("data/bot.db"))
    database_url: SecretStr | None = None
    database_threads: int = Field(default=4, ge=1, le=64)
    evidence_dir: Path = Field(default=Path("data/evidence"))
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    resume_after_minutes: int = Field(default=30, ge=1, le=60 * 24 * 30)
    max_attachment_mb: int = Field(default=10, ge=1, le=50)
    reporting_url: str | None = None
    reporting_token: SecretStr = SecretStr("")
    reporting_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    reporting_max_age_hours: int = Field(default=72, ge=1, le=24 * 30)
    reporting_callback_secret: SecretStr | None = None
    telegram_bot_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_rate_per_second: float = Field(default=30.0, gt=0, le=1000)
    telegram_per_chat_per_second: float = Field(default=1.0, gt=0, le=100)
    telegram_max_in_flight: int = Field(default=4, ge=1, le=64)
    telegram_poll_timeout: int = Field(default=25, ge=0, le=50)
    whatsapp_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_api_base: str = "https://graph.facebook.com/v21.0"
    whatsapp_rate_per_second: float = Field(default=80.0, gt=0, le=1000)
    whatsapp_per_chat_per_second: float = Field(default=1.0, gt=0, le=100)
    whatsapp_max_in_flight: int = Field(default=8, ge=1, le=64)
    whatsapp_status_template: str | None = None
    whatsapp_template_language_hi: str = "hi"
    whatsapp_template_language_en: str = "en"
    whatsapp_awareness_template: str | None = None
    awareness_every_days: int = Field(default=7, ge=0, le=365)
    awareness_time: str = "11:00"
    admin_telegram_ids: str = ""
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    http_max_connections: int = Field(default=500, ge=10, le=100_000)
    http_header_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    min_free_disk_mb: int = Field(default=200, ge=0, le=1_000_000)
    screenshot_timeout_seconds: float = Field(default=10.0, ge=0, le=120)
    helpdesk_phone: str | None = None
    helpdesk_hours: str | None = None
    reference_key: SecretStr | None = None
    desk_host: str = "127.0.0.1"
    desk_port: int = Field(default=8081, ge=0, le=65535)
    desk_cookie_secure: bool = False
    desk_session_minutes: int = Field(default=480, ge=5, le=60 * 24)

    @field_validator(
        "reporting_url", "telegram_webhook_url", "telegram_api_base", "whatsapp_api_base"
    )
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError("must be an http:// or https:// URL without query")
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not re.fullmatch(r"postgres(ql)?://\S*", value.get_secret_value()):
            raise ValueError("must be a postgresql:// URL (unset: SQLite at DATABASE_PATH)")
        return value

    @field_validator("reporting_callback_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and 0 < len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return value if value is not None and value.get_secret_value() else None

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not re.fullmatch(r"\d+:[A-Za-z0-9_-]{20,}", value.get_secret_value()):
            raise ValueError("must look like 123456789:ABC... (the token BotFather gives)")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", value.get_secret_value()):
            raise ValueError("must be 16-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("reference_key")
    @classmethod
    def _key_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < MIN_REFERENCE_KEY_LENGTH:
            raise ValueError(
                f"must be at least {MIN_REFERENCE_KEY_LENGTH} characters; make one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return value

    @field_validator("whatsapp_token", "whatsapp_app_secret", "whatsapp_verify_token", mode="after")
    @classmethod
    def _empty_secret_is_unset(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value is not None and value.get_secret_value() else None

    @field_validator(
        "whatsapp_phone_number_id",
        "whatsapp_status_template",
        "whatsapp_awareness_template",
        mode="after",
    )
    @classmethod
    def _empty_is_unset(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("helpdesk_phone")
    @classmethod
    def _phone_number(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not re.fullmatch(r"\+?[0-9][0-9 \-]{5,18}[0-9]", value.strip()):
            raise ValueError("must be a phone number people can dial, like 0771-2511111")
        return value.strip()

    @field_validator("helpdesk_hours")
    @classmethod
    def _hours(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if len(value) > 60 or any(not ch.isprintable() for ch in value):
            raise ValueError("must be a short line of text, like 10 am to 6 pm, Monday to Saturday")
        return value.strip()

    @field_validator("awareness_time")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", value.strip()):
            raise ValueError("must be a 24-hour time of day in Indian time, like 11:00")
        return value.strip()

    @field_validator("admin_telegram_ids")
    @classmethod
    def _id_list(cls, value: str) -> str:
        if value.strip() and not re.fullmatch(r"\s*-?\d+(\s*,\s*-?\d+)*\s*,?\s*", value):
            raise ValueError("must be Telegram user ids separated by commas, like 11111,22222")
        return value

    @property
    def admin_ids(self) -> frozenset[str]:
        return frozenset(
            part.strip() for part in self.admin_telegram_ids.split(",") if part.strip()
        )

    @model_validator(mode="after")
    def _whatsapp_all_or_nothing(self) -> Settings:
        given = {
            "WHATSAPP_TOKEN": self.whatsapp_token,
            "WHATSAPP_PHONE_NUMBER_ID": self.whatsapp_phone_number_id,
            "WHATSAPP_APP_SECRET": self.whatsapp_app_secret,
            "WHATSAPP_VERIFY_TOKEN": self.whatsapp_verify_token,
        }
        missing = [name for name, value in given.items() if value is None]
        if missing and len(missing) < len(given):
            raise ValueError(f"WhatsApp needs {', '.join(missing)} as well")
        return self

    @property
    def whatsapp_enabled(self) -> bool:
        return self.whatsapp_token is not None

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.telegram_webhook_url and self.telegram_bot_token is None:
            raise ValueError("TELEGRAM_WEBHOOK_URL needs TELEGRAM_BOT_TOKEN")
        if self.telegram_webhook_url and self.telegram_webhook_secret is None:
            raise ValueError("TELEGRAM_WEBHOOK_URL needs TELEGRAM_WEBHOOK_SECRET")
        return self

    @model_validator(mode="after")
    def _channels_need_a_reference_key(self) -> Settings:
        """The built-in key is public, so a real deployment's complaint numbers could be
        enumerated with it: only the console demo may go without REFERENCE_KEY."""
        if self.reference_key is None and (
            self.telegram_bot_token is not None or self.whatsapp_enabled
        ):
            raise ValueError(
                "REFERENCE_KEY must be set when TELEGRAM_BOT_TOKEN or WHATSAPP_TOKEN is set "
                "(a secret that scrambles complaint numbers; never change it once in use)"
            )
        return self

    @property
    def reference_key_bytes(self) -> bytes:
        """The key for complaint numbers; the console demo's public one when unset."""
        if self.reference_key is None:
            return DEMO_REFERENCE_KEY
        return self.reference_key.get_secret_value().encode()

    def secret_values(self) -> list[str]:
        """Every secret setting's value, for the log masking: any field typed SecretStr,
        so a secret added later is masked without anyone remembering to list it."""
        return [
            value.get_secret_value()
            for name in type(self).model_fields
            if isinstance(value := getattr(self, name), SecretStr) and value.get_secret_value()
        ]

    @property
    def needs_http(self) -> bool:
        return bool(
            self.reporting_callback_secret or self.telegram_webhook_url or self.whatsapp_enabled
        )


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Reads the environment (and `env_file` if present) or raises a ConfigurationError
    that names each wrong variable, so a deployer sees at once what to fix."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as error:
        problems = "; ".join(
            f"{str(issue['loc'][0]).upper() if issue['loc'] else 'SETTINGS'}: {issue['msg']}"
            for issue in error.errors()
        )
        raise ConfigurationError(f"Invalid setting(s): {problems}") from error
