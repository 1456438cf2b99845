"""No secret in the repository: keys, tokens and passwords do not live in tracked files."""

from __future__ import annotations

import re
import subprocess

import pytest

from app.config import DEFAULT_SECRET, ROOT

# Each pattern names a kind of secret; samples below prove it matches.
PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "password in a URL": re.compile(
        r"\b(?:postgres(?:ql)?|mysql|redis|rediss|amqp|mongodb)(?:\+\w+)?://[^\s:/@'\"]+:[^\s@/'\"]+@"
    ),
    "secret key literal": re.compile(r"""\bSECRET_KEY\b["']?\s*[=:]\s*["']([^"'\s]+)["']"""),
    "API key literal": re.compile(r"""\b(?:BAIDU_AK|AMAP_KEY|API_KEY)\s*=\s*["'][^"']{8,}["']"""),
    # password = "…", {"password": "…"}, environ.get("X_PASSWORD", "…")
    "password literal": re.compile(
        r"""(?i)\b\w*(?:password|passwd)\w*(?:["']\s*[,:]|\s*=)\s*["']([!#-&(-~]{6,})["']"""
    ),
}
# Values that are documented as not secret: the development default and the testing key.
ALLOWED_SECRET_KEYS = {DEFAULT_SECRET, "testing"}
ALLOWED_PASSWORDS = {"demo-pass-2026"}  # the demo accounts' default, in the README
TEST_PATHS = ("tests/",)


def _join(*parts: str) -> str:
    """Samples are built from pieces so that this file does not match itself."""
    return "".join(parts)


SAMPLES = {
    "private key": _join("-----BEGIN RSA ", "PRIVATE KEY-----"),
    "AWS access key": _join("AKIA", "ABCDEFGHIJKLMNOP"),
    "GitHub token": _join("ghp_", "a" * 36),
    "Slack token": _join("xoxb-", "1234567890-abc"),
    "password in a URL": _join("postgresql://app:", "hunter2@db.internal/app"),
    "secret key literal": _join("SECRET_KEY", ' = "', "s3cr3t-value", '"'),
    "API key literal": _join("BAIDU_AK", ' = "', "abcdefgh12345678", '"'),
    "password literal": _join('os.environ.get("DB_PASSWORD', '", "', "hunter22", '")'),
}


def findings(path: str, text: str) -> list[str]:
    found = []
    for name, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            allowed = {
                "secret key literal": ALLOWED_SECRET_KEYS,
                "password literal": ALLOWED_PASSWORDS,
            }
            if name in allowed and (match.group(1) in allowed[name] or path.startswith(TEST_PATHS)):
                continue
            found.append(f"{path}: {name}: {match.group(0)[:40]}")
    return found


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_scanner_finds_each_kind(name):
    assert findings("app/x.py", f"x = 1\n{SAMPLES[name]}\n"), name


def test_the_scanner_allows_the_documented_defaults():
    assert not findings("app/config.py", f'SECRET_KEY = "{DEFAULT_SECRET}"')
    assert not findings("app/config.py", 'SECRET_KEY = os.environ.get("SECRET_KEY")')
    assert not findings("x.md", "TEST_DATABASE_URL=postgresql://postgres@127.0.0.1/test")
    assert not findings("app/demo/loader.py", 'environ.get("DEMO_PASSWORD", "demo-pass-2026")')
    assert not findings("app/forms.py", 'EqualTo("password", "两次输入的密码不一致。")')
    assert findings("app/settings.py", _join('ADMIN_PASSWORD = "', "correct-horse-9", '"'))


def _repository_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return sorted(set(listed))


def test_no_secret_in_the_repository():
    files = _repository_files()
    assert "app/config.py" in files
    found = []
    for path in files:
        full = ROOT / path
        if not full.is_file():
            continue  # deleted in the working tree
        data = full.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary
        found += findings(path, data.decode("utf-8", "replace"))
    assert not found


def test_no_environment_or_database_file_is_tracked():
    for path in _repository_files():
        name = path.rsplit("/", 1)[-1]
        assert name != ".env" and not name.startswith(".env."), path
        assert not name.endswith((".sqlite3", ".pem", ".key", ".p12")), path
        assert not path.startswith("instance/"), path
