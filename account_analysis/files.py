"""Writing output files so that a reader never sees half of one (every stage that writes)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` (``str`` is encoded as UTF-8) to ``path`` all at once, or not at all.

    The content goes to a hidden temporary file in the same directory, is flushed to disk, and
    then replaces ``path`` in one ``os.replace``. A reader sees the old file or the new one,
    never a half-written one; if anything fails, the old file is untouched and the temporary
    file removed.
    """
    path = Path(path)
    if isinstance(content, str):
        data = content.encode("utf-8")
    elif isinstance(content, bytes):
        data = content
    else:
        raise TypeError(f"content must be str or bytes, not {type(content).__name__}")
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    # 0o666 minus the umask: the same permissions as a file written the ordinary way.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
