"""All configuration, read from environment variables prefixed ``PITCHASEAT_``.

Every field is listed with its default in ``.env.example``.
"""

from __future__ import annotations

import ipaddress
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The development default is public (it is in this file), so production refuses it.
DEVELOPMENT_SECRET_KEY = "dev-only-secret-key-change-me-in-production"  # noqa: S105
MIN_PRODUCTION_SECRET_LENGTH = 32
BROKER_SCHEMES = ("amqp://", "amqps://", "redis://", "rediss://")


class SettingsError(ValueError):
    """A setting is wrong; the message names it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PITCHASEAT_",
        env_file=".env",
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
    )

    environment: Literal["development", "test", "production"] = "development"
    secret_key: str = DEVELOPMENT_SECRET_KEY
    # The site's public address, for links in emails and the payment gateway's return. Left
    # unset it follows host and port (see _base_url_follows_the_address).
    base_url: str = ""
    host: str = "127.0.0.1"
    port: int = Field(default=8000, gt=0, lt=65536)

    data_dir: Path = Path("var")
    database_url: str = ""
    database_echo: bool = False
    database_pool_size: int = 10

    redis_url: str | None = None
    page_cache_enabled: bool = True
    # Background jobs: amqp://... (RabbitMQ) or redis://...; empty means in-process.
    broker_url: str | None = None
    # The broker queue this site's jobs go through (two sites may share one broker).
    job_queue: str = Field(default="pitchaseat", pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    scheduler_interval_seconds: int = Field(default=60, ge=1, le=3600)
    # /metrics counts the marketplace's figures from the database at most this often.
    metrics_figures_max_age_seconds: float = Field(default=5.0, ge=0, le=300)

    # Email: SMTP when a host is set, else .eml files under data_dir/mailbox.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, gt=0, lt=65536)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    mail_from: str = "Pitch-A-Seat <no-reply@pitchaseat.tw>"
    email_max_attempts: int = Field(default=6, ge=1, le=20)
    email_retry_base_seconds: float = Field(default=30.0, gt=0)

    storage_backend: Literal["local", "s3"] = "local"
    media_dir: Path | None = None
    media_base_url: str = "/media"
    s3_bucket: str = ""
    s3_endpoint_url: str | None = None
    s3_region: str = "ap-northeast-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    cdn_base_url: str | None = None
    max_request_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    # Photo processing: at most this many decoded at once per process, all of them together
    # within this much memory (a photo whose pixels do not fit its share is refused).
    photo_workers: int = Field(default=2, ge=1, le=16)
    photo_memory_budget_mb: int = Field(default=256, ge=32, le=8192)

    access_token_ttl_seconds: int = Field(default=60 * 60 * 24 * 7, gt=0)
    # An operator's session (log-in and the /admin console) ends sooner than a fan's.
    operator_session_ttl_seconds: int = Field(default=60 * 60 * 8, gt=0)
    # Reports of listings a fan may send (the operators' queue is read by people).
    listing_reports_per_user: str = "10/hour"
    # Cookies only over HTTPS. Empty means: yes in production, no elsewhere (plain
    # http://127.0.0.1 in development).
    session_cookie_secure: bool | None = None
    # Log-in limits (windows separated by ";" make growing delays). Per account and address
    # first; per account alone is looser (past it the owner signs in by an email link).
    login_attempts_per_account_ip: str = "5/minute;10/15 minutes;20/day"
    login_attempts_per_account: str = "50/hour"
    login_attempts_per_ip: str = "30/5 minutes"
    sign_in_links_per_account: str = "3/15 minutes;10/day"
    # Proxies whose X-Forwarded-For is believed (comma-separated addresses or networks, e.g.
    # "127.0.0.1,10.0.0.0/8"); from anyone else the header is ignored.
    trusted_proxies: str = ""
    registrations_per_ip: str = "20/hour"
    # Password-reset emails, per address and per account (the answer is the same either way).
    password_resets_per_ip: str = "10/15 minutes;30/day"  # noqa: S105 - a rate, not a secret
    password_resets_per_account: str = "3/15 minutes;10/day"  # noqa: S105 - a rate
    # Verification links (sign-up again, a change of email), per account.
    verification_emails_per_account: str = "3/15 minutes;10/day"

    hold_minutes: int = Field(default=10, ge=1, le=60)
    max_held_tickets: int = Field(default=8, ge=1, le=50)
    holds_per_user: str = "20/minute"
    # Money: the platform's cut of each sale, in basis points of the price (500 = 5%).
    seller_fee_bps: int = Field(default=500, ge=0, le=5000)
    # Escrow release: a shipped order completes this long after its game. (The ship deadline
    # is when sales close, catalog.sales.SALES_CLOSE_BEFORE_GAME: one rule for every page.)
    auto_complete_hours_after_game: int = Field(default=72, ge=1, le=60 * 24)

    payment_provider: Literal["sandbox", "tappay"] = "sandbox"
    tappay_host: str = "https://sandbox.tappaysdk.com"
    tappay_partner_key: str = ""
    tappay_merchant_id: str = ""
    tappay_timeout_seconds: float = Field(default=30.0, gt=0)
    tappay_three_domain_secure: bool = False
    # Public values for TapPay's card fields in the browser (TPDirect web SDK).
    tappay_app_id: int = 0
    tappay_app_key: str = ""
    tappay_sdk_url: str = "https://js.tappaysdk.com/sdk/tpdirect/v5.19.2"
    tappay_server_type: Literal["sandbox", "production"] = "sandbox"

    # Seller score: a Bayesian average that starts every seller at this prior, worth this many
    # ratings, so one 5-star review does not outrank fifty 4.8s.
    rating_prior_mean: float = Field(default=4.0, ge=1, le=5)
    rating_prior_weight: int = Field(default=5, ge=0, le=1000)

    # Recommendations: the A/B split between scoring variants, and the experiment's name
    # (a new name reshuffles who sees which variant).
    recs_variant_split: str = Field(default="A=50,B=50", pattern=r"^[A-Z]=\d+(,[A-Z]=\d+)*$")
    recs_experiment: str = "recs-2026-11"

    default_locale: Literal["zh_TW", "en"] = "zh_TW"
    timezone: str = "Asia/Taipei"
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="before")
    @classmethod
    def _base_url_follows_the_address(cls, data: Any) -> Any:
        """Without PITCHASEAT_BASE_URL, links point at where this app listens, so that
        ``pitchaseat serve --port 8100`` never mails out ``:8000`` links."""
        if isinstance(data, dict) and not data.get("base_url"):
            host = str(data.get("host") or cls.model_fields["host"].default)
            port = data.get("port") or cls.model_fields["port"].default
            data = {**data, "base_url": f"http://{_link_host(host)}:{port}"}
        return data

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production":
            if self.secret_key == DEVELOPMENT_SECRET_KEY:
                raise SettingsError(
                    "PITCHASEAT_SECRET_KEY is still the development default; "
                    "set a random secret of at least 32 characters in production"
                )
            if len(self.secret_key) < MIN_PRODUCTION_SECRET_LENGTH:
                raise SettingsError(
                    "PITCHASEAT_SECRET_KEY is too short for production "
                    f"(at least {MIN_PRODUCTION_SECRET_LENGTH} characters)"
                )
        if self.payment_provider == "tappay" and not (
            self.tappay_partner_key and self.tappay_merchant_id
        ):
            raise SettingsError(
                "PITCHASEAT_TAPPAY_PARTNER_KEY and PITCHASEAT_TAPPAY_MERCHANT_ID are required "
                "when PITCHASEAT_PAYMENT_PROVIDER=tappay"
            )
        if self.broker_url and not self.broker_url.startswith(BROKER_SCHEMES):
            raise SettingsError(
                "PITCHASEAT_BROKER_URL must start with amqp://, amqps://, redis:// or rediss://"
            )
        if self.storage_backend == "s3" and not self.s3_bucket:
            raise SettingsError(
                "PITCHASEAT_S3_BUCKET is required when PITCHASEAT_STORAGE_BACKEND=s3"
            )
        return self

    @model_validator(mode="after")
    def _check_trusted_proxies(self) -> Settings:
        try:
            _ = self.trusted_proxy_networks
        except ValueError as error:
            raise SettingsError(f"PITCHASEAT_TRUSTED_PROXIES: {error}") from error
        return self

    @cached_property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False)
            for part in self.trusted_proxies.split(",")
            if part.strip()
        )

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'pitchaseat.db').as_posix()}"

    @property
    def effective_media_dir(self) -> Path:
        return self.media_dir or self.data_dir / "media"

    @property
    def mailbox_dir(self) -> Path:
        return self.data_dir / "mailbox"

    @property
    def cookies_secure(self) -> bool:
        if self.session_cookie_secure is None:
            return self.is_production
        return self.session_cookie_secure

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


def _link_host(host: str) -> str:
    # A wildcard bind has no address to link to; the machine itself is the best guess.
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 (recognised here, not bound to)
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
