"""Access to the files of a corpus folder, local or on any fsspec file system.

Local folders are walked safely: a symbolic link is never followed (not even
when ``metadata.csv`` names it), nothing that resolves outside the folder is
read, and special files (FIFOs, sockets, devices), directories with a notice's
name (``x.txt/``) and link loops are skipped with a problem row each instead of
being opened (opening a FIFO would block the build). Names in problem rows are
escaped (:func:`escape_name`), so a newline in a file name cannot forge lines
of a report.

Examples
--------
>>> from policylab.readers import BUNDLED_CORPUS
>>> names, problems = LocalFolder(BUNDLED_CORPUS).scan()
>>> len(names), problems
(21, [])
"""

from __future__ import annotations

import os
import posixpath
import stat
from pathlib import Path

__all__ = ["FsspecFolder", "LocalFolder", "escape_name", "is_candidate", "problem"]

_SPECIAL = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"))


def escape_name(name: str) -> str:
    r"""A file name safe to print on one line: control characters as ``\n``, ``\x1b``...

    >>> escape_name("a\nb\x1b.txt")
    'a\\nb\\x1b.txt'
    >>> escape_name("personvern-æøå.txt")
    'personvern-æøå.txt'
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(name))


def problem(file: str, doc_id: str, severity: str, message: str) -> dict:
    """One row of the ``problems`` table (the file name escaped)."""
    return {"file": escape_name(file), "doc_id": escape_name(doc_id), "severity": severity, "problem": message}


def is_candidate(name: str) -> bool:
    """Whether a file of a corpus folder may be a notice (not metadata, hidden or a README)."""
    return name != "metadata.csv" and not name.startswith(".") and not name.lower().startswith("readme")


class LocalFolder:
    """File access relative to a local corpus folder, never following links."""

    def __init__(self, folder: Path | str):
        self.root = Path(folder).resolve()

    def __repr__(self) -> str:
        return f"LocalFolder({str(self.root)!r})"

    def __str__(self) -> str:
        return str(self.root)

    def scan(self) -> tuple[list[str], list[dict]]:
        """Names of the candidate notice files (sorted) and a problem per entry skipped."""
        from .registry import NOTICE_SUFFIXES, RECOGNISED_SUFFIXES

        names: list[str] = []
        problems: list[dict] = []
        with os.scandir(self.root) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                name = entry.name
                if not is_candidate(name):
                    continue
                noticeish = Path(name).suffix.lower() in NOTICE_SUFFIXES + tuple(RECOGNISED_SUFFIXES)
                try:
                    if entry.is_symlink():
                        problems.append(problem(name, "", "error", "a symbolic link: skipped (policylab never follows links; copy the file into the folder)"))
                        continue
                    mode = entry.stat(follow_symlinks=False).st_mode
                except OSError as exc:
                    problems.append(problem(name, "", "error", f"cannot be inspected ({exc.strerror or exc}): skipped"))
                    continue
                if stat.S_ISDIR(mode):
                    if noticeish:
                        problems.append(problem(name, "", "error", "a directory, not a file: skipped"))
                    continue
                kind = next((label for test, label in _SPECIAL if test(mode)), None)
                if kind is not None:
                    problems.append(problem(name, "", "error", f"{kind}, not a regular file: skipped"))
                    continue
                names.append(name)
        return names, problems

    def check(self, name: str) -> str | None:
        """Why ``name`` must not be read (outside the folder, a link, not a regular file), or None."""
        path = self.root / name
        try:
            if Path(name).is_absolute() or ".." in Path(name).parts:
                return "points outside the corpus folder"
            # Every component from the root down: none may be a link.
            current = self.root
            for part in Path(name).parts:
                current = current / part
                if current.is_symlink():
                    return "is a symbolic link (policylab never follows links)"
            if not path.resolve().is_relative_to(self.root):
                return "points outside the corpus folder"
            mode = os.stat(path, follow_symlinks=False).st_mode
        except FileNotFoundError:
            return "does not exist"
        except (OSError, RuntimeError, ValueError) as exc:
            return f"cannot be inspected ({getattr(exc, 'strerror', None) or exc})"
        if stat.S_ISDIR(mode):
            return "is a directory, not a file"
        if not stat.S_ISREG(mode):
            return "is not a regular file (a pipe, socket or device)"
        return None

    def inside(self, name: str) -> bool:
        return self.check(name) != "points outside the corpus folder"

    def is_file(self, name: str) -> bool:
        return self.check(name) is None

    def read(self, name: str) -> bytes:
        """The bytes of ``name``; OSError if it is a link, outside, or not a regular file."""
        why = self.check(name)
        if why is not None:
            raise OSError(why)
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(self.root / name, flags)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError("is not a regular file")
            with os.fdopen(fd, "rb", closefd=False) as f:
                return f.read()
        finally:
            os.close(fd)


class FsspecFolder:
    """File access relative to a corpus folder on any fsspec file system (s3://, gs://, ...).

    >>> from policylab.readers import BUNDLED_CORPUS
    >>> FsspecFolder(str(BUNDLED_CORPUS)).is_file("balcoo.txt")
    True
    """

    def __init__(self, url: str, **storage_options):
        import fsspec

        self.url = url
        self.fs, root = fsspec.core.url_to_fs(url, **storage_options)
        self.root = posixpath.normpath(root)
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        # A local folder is walked as safely as without fsspec (no links followed).
        self._local = LocalFolder(self.root) if "file" in protocols or "local" in protocols else None

    def __repr__(self) -> str:
        return f"FsspecFolder({self.url!r})"

    def __str__(self) -> str:
        return self.url

    def path(self, name: str) -> str:
        return posixpath.normpath(posixpath.join(self.root, name))

    def read(self, name: str) -> bytes:
        if self._local is not None:
            return self._local.read(name)
        if not self.inside(name):
            raise OSError("points outside the corpus folder")
        return self.fs.cat_file(self.path(name))

    def check(self, name: str) -> str | None:
        if self._local is not None:
            return self._local.check(name)
        if not self.inside(name):
            return "points outside the corpus folder"
        return None if self.fs.isfile(self.path(name)) else "does not exist"

    def is_file(self, name: str) -> bool:
        return self.check(name) is None

    def inside(self, name: str) -> bool:
        return self.path(name).startswith(self.root.rstrip("/") + "/")

    def scan(self) -> tuple[list[str], list[dict]]:
        if self._local is not None:
            return self._local.scan()
        return self.list(), []

    def list(self) -> list[str]:
        """Names of the candidate notice files (as :func:`list_notices` chooses them)."""
        if self._local is not None:
            return self._local.scan()[0]
        names = [p.rsplit("/", 1)[-1] for p in self.fs.ls(self.root, detail=False) if self.fs.isfile(p)]
        return sorted(n for n in names if is_candidate(n))
