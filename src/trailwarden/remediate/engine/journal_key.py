"""The key that signs apply journals: a per-user secret kept outside every journal.

A journal is what rollback acts on, with the privileges of whoever runs it; journals end
up in CI artifacts and shared folders. Every record of a journal therefore carries an
HMAC-SHA256 made with this key (:mod:`.journal_seal`), and a journal whose records do not
verify is refused before any AWS call: whoever can write a journal but not read the key
cannot make rollback do anything.

Where the key is, first found wins:

1. ``--journal-key FILE`` (:func:`key_path`'s ``explicit``);
2. ``$TRAILWARDEN_JOURNAL_KEY``, the path of a key file (for CI, or another machine's key);
3. ``$XDG_CONFIG_HOME/trailwarden/journal.key``, by default
   ``~/.config/trailwarden/journal.key`` (the XDG Base Directory specification's place
   for per-user configuration: https://specifications.freedesktop.org/basedir-spec/latest/).

``fix --apply`` creates the key there if it does not exist (32 random bytes, hex, mode
0600 in a directory of mode 0700); ``rollback`` never creates one. A key file that other
users could read, or that another user owns, is refused: whoever can read it can forge
journals.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from trailwarden.errors import JournalError

__all__ = ["KEY_ENV", "JournalKey", "key_path", "load_key"]

KEY_ENV = "TRAILWARDEN_JOURNAL_KEY"
_KEY_BYTES = 32
_MAX_FILE = 1024
_KEY_ID_LABEL = b"trailwarden journal key id"


@dataclass(frozen=True)
class JournalKey:
    """A journal-signing key and where it was read from."""

    path: Path
    secret: bytes = field(repr=False)

    @property
    def key_id(self) -> str:
        """Names the key in a journal's header without revealing it: a journal signed
        with another key is told apart from an edited one."""
        return hmac.new(self.secret, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]

    def mac(self, previous: str, body: bytes) -> str:
        """HMAC-SHA256 over the previous record's MAC and this record's bytes: records
        can be neither changed, dropped, reordered nor moved between journals."""
        message = previous.encode("ascii") + b"\n" + body
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()


def key_path(explicit: Path | None = None) -> Path:
    """Where the journal key is (see the module docstring)."""
    if explicit is not None:
        return explicit
    if env := os.environ.get(KEY_ENV):
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME", "")
    # The specification: a relative XDG_CONFIG_HOME is invalid and must be ignored.
    config = Path(base) if os.path.isabs(base) else Path.home() / ".config"
    return config / "trailwarden" / "journal.key"


def load_key(explicit: Path | None = None, *, create: bool = False) -> JournalKey:
    """The journal key; created first (when ``create``) if there is none yet."""
    path = key_path(explicit)
    if create and not os.path.lexists(path):
        _create(path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError as exc:
        raise JournalError(
            f"There is no journal key at {path}; journals are signed with the key of the "
            "user and machine that ran fix --apply: pass that key with --journal-key "
            f"(or ${KEY_ENV})."
        ) from exc
    except OSError as exc:
        raise JournalError(
            f"Cannot read the journal key {path}: {exc.strerror or exc}; check its permissions."
        ) from exc
    try:
        _check_private(path, os.fstat(fd))
        data = os.read(fd, _MAX_FILE + 1)
    finally:
        os.close(fd)
    text = data.decode("ascii", "replace").strip()
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(data) > _MAX_FILE or len(secret) < _KEY_BYTES:
        raise JournalError(
            f"{path} is not a trailwarden journal key ({2 * _KEY_BYTES} or more hexadecimal "
            "digits); point --journal-key at the key fix --apply created."
        )
    return JournalKey(path, secret)


def _check_private(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise JournalError(f"The journal key {path} is not a regular file.")
    if not hasattr(os, "geteuid"):  # no POSIX owners and modes (Windows)
        return
    if info.st_uid != os.geteuid():
        raise JournalError(
            f"The journal key {path} belongs to another user (uid {info.st_uid}); whoever "
            "owns it can forge journals, so use a key of your own."
        )
    if info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise JournalError(
            f"The journal key {path} can be read by other users (mode {mode:04o}), and "
            f"whoever can read it can forge journals; run chmod 600 {path}."
        )


def _create(path: Path) -> None:
    """Write a new key so that no reader ever sees a partial one: to a private temporary
    file first, then linked into place (which fails if another process got there first)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, (secrets.token_hex(_KEY_BYTES) + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another trailwarden created it meanwhile: use that one
        finally:
            os.unlink(temporary)
    except OSError as exc:
        raise JournalError(
            f"Cannot create the journal key {path}: {exc.strerror or exc}; make its "
            f"directory writable, or name a key file with --journal-key."
        ) from exc
