"""Client construction: what is refused before any connection is made."""

from __future__ import annotations

import pytest

from vicidial_async import (
    ConfigurationError,
    InvalidParameterError,
    RateLimit,
    RetryPolicy,
    Timeouts,
    VicidialClient,
)
from vicidial_async.client import DEFAULT_RATE_LIMIT
from vicidial_async.protocol.registry import REGISTRY

PASSWORD = "s3cretPass"


def make(url: str = "https://dialer.example.com", **kw: object) -> VicidialClient:
    return VicidialClient(url, "apiuser", PASSWORD, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("url", ["http://dialer.example.com", "http://10.0.0.5", "http://[2001:db8::1]/",
                                 "http://localhost.example.com"])
def test_plain_http_to_a_remote_host_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError, match="http://"):
        make(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost", "http://[::1]:9000",
                                 "http://api.localhost", "http://127.5.5.5"])
def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    assert make(url).url == url.rstrip("/")


def test_allow_insecure_http_overrides() -> None:
    vd = make("http://dialer.example.com/", allow_insecure_http=True)
    assert vd.url == "http://dialer.example.com"
    assert vd.host == "dialer.example.com"


@pytest.mark.parametrize("url", ["ftp://dialer.example.com", "dialer.example.com", "https://",
                                 "https://apiuser:pw@dialer.example.com", "https://dialer.example.com/?a=1"])
def test_bad_urls(url: str) -> None:
    with pytest.raises(ConfigurationError):
        make(url)


@pytest.mark.parametrize("source", ["x", "a" * 21, "my-app", "app 1", "appé", ""])
def test_source_must_be_2_to_20_ascii_letters_or_digits(source: str) -> None:
    with pytest.raises(ConfigurationError, match="source"):
        make(source=source)


@pytest.mark.parametrize("source", ["ab", "a" * 20, "Loader2"])
def test_valid_sources(source: str) -> None:
    make(source=source)


@pytest.mark.parametrize("user", ["", "api user", "api;user"])
def test_bad_users(user: str) -> None:
    with pytest.raises(ConfigurationError):
        VicidialClient("https://x.example", user, PASSWORD)


def test_password_the_server_would_strip_is_refused_without_echoing_it() -> None:
    with pytest.raises(ConfigurationError) as info:
        VicidialClient("https://x.example", "apiuser", "pa ss#word")
    assert "pa ss#word" not in str(info.value)


def test_password_with_agent_only_characters_warns() -> None:
    with pytest.warns(UserWarning, match="Non-Agent API"):
        VicidialClient("https://x.example", "apiuser", "pass.word")


def test_max_connections_and_rate_limit_validation() -> None:
    with pytest.raises(ConfigurationError):
        make(max_connections=0)
    with pytest.raises(ValueError):
        RateLimit(per_second=0, burst=1)
    with pytest.raises(ValueError):
        RateLimit(per_second=1, burst=0.5)  # a burst below one token would refuse every call


def test_defaults_and_properties() -> None:
    vd = make()
    assert vd.rate_limit == DEFAULT_RATE_LIMIT == RateLimit(per_second=10, burst=10)
    assert vd.max_connections == 10
    assert vd.user == "apiuser"
    assert vd.retry_budget.tokens == vd.retry_budget.capacity == 500
    assert make(rate_limit=None).rate_limit is None
    assert Timeouts().report_read == 120.0
    assert RetryPolicy.disabled().attempts == 1


def test_repr_never_shows_the_password() -> None:
    vd = make()
    assert PASSWORD not in repr(vd)
    assert PASSWORD not in str(vd)
    assert "apiuser" in repr(vd)
    assert not hasattr(vd, "password")


def test_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VICIDIAL_URL", "https://env.example.com")
    monkeypatch.setenv("VICIDIAL_USER", "envuser")
    monkeypatch.setenv("VICIDIAL_PASS", PASSWORD)
    vd = VicidialClient.from_env(rate_limit=None, source="envapp")
    assert (vd.url, vd.user, vd.rate_limit) == ("https://env.example.com", "envuser", None)


def test_from_env_names_every_missing_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VICIDIAL_URL", raising=False)
    monkeypatch.setenv("VICIDIAL_USER", "envuser")
    monkeypatch.setenv("VICIDIAL_PASS", "")
    with pytest.raises(ConfigurationError) as info:
        VicidialClient.from_env()
    assert "VICIDIAL_URL" in str(info.value) and "VICIDIAL_PASS" in str(info.value)
    assert "VICIDIAL_USER" not in str(info.value)


def test_from_env_with_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIALER2_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("DIALER2_USER", "u2")
    monkeypatch.setenv("DIALER2_PASS", PASSWORD)
    assert VicidialClient.from_env(prefix="DIALER2_").user == "u2"


async def test_closed_client_refuses_calls() -> None:
    vd = make()
    async with vd:
        pass
    with pytest.raises(ConfigurationError, match="closed"):
        await vd.call("version")
    await vd.aclose()  # idempotent


@pytest.mark.parametrize("name", ["user", "pass", "source", "function"])
async def test_credentials_cannot_be_replaced_by_parameters(name: str) -> None:
    async with make() as vd:
        with pytest.raises(InvalidParameterError) as info:
            await vd.send(REGISTRY["non_agent", "campaigns_list"], {name: "other"})
        assert info.value.parameter == name and info.value.sent is False
        if name != "function":
            with pytest.raises(InvalidParameterError):
                await vd.call("campaigns_list", **{name: "other"})


async def test_bad_timeout_override() -> None:
    async with make() as vd:
        with pytest.raises(ConfigurationError):
            await vd.call("campaigns_list", timeout=0)
