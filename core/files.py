"""Files written with the database transaction.

A ``FileField`` keeps its bytes on disk, outside the transaction that writes its row: a
rollback after the file is stored (the k-th of k documents failing, an enclosing service
failing later) would leave files without rows. ``save_on_commit`` ties the file to the
transaction instead:

1. Before commit, the bytes go to a staging file beside the final one, in the same folder
   (``documents/2026/11/.staging-<file name>``), written and flushed to disk (``fsync``).
   A full disk or any other write error is raised there, inside the transaction, which then
   rolls back: the caller sees the error and no row is kept. The final folder is created
   here too.
2. On commit (``transaction.on_commit``) the staging file is linked to its final name in the
   same folder and the staging name removed: no data is written and nothing crosses a file
   system, so this step does not run out of space.
3. A staging file whose transaction (or savepoint) rolled back is deleted by
   ``discard_uncommitted``: at the end of each request (``request_finished``), on the next
   ``save_on_commit`` in the same thread, at process exit, and wherever code calls it (tests,
   long-running commands). A rolled-back transaction is recognised exactly: Django drops the
   on-commit callbacks of a transaction or savepoint that rolls back, so a staged file whose
   callback is no longer pending on its connection will never be published.

Until it commits, the writing thread reads the staged file under its final name
(``TransactionalFileSystemStorage.path``), so a service can store a photo and print it into
a document in the same transaction; other threads and processes cannot see it, as they
cannot see the row. Names are reserved across processes: a name is taken while either its
staging file or its final file exists, and the staging file is created exclusively.

A process killed between staging and commit leaves its staging files behind; nothing refers
to them, and they can be deleted by age without touching any stored file
(``find <MEDIA_ROOT> -name '.staging-*' -mmin +1440 -delete``).

The storage must be ``TransactionalFileSystemStorage`` (``STORAGES["default"]``).
"""

import atexit
import contextlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)

STAGING_PREFIX = ".staging-"
NAME_ATTEMPTS = 100


@dataclass(eq=False)
class _Staged:
    storage: "TransactionalFileSystemStorage"
    name: str
    staged_path: str
    publish: Callable[[], None] = field(init=False)


# Staged files not yet published or discarded, per thread (each thread has its own database
# connections, hence its own transactions). A lock guards the dict, not the lists: a list is
# only touched by its own thread, except at process exit.
_pending: dict[int, list[_Staged]] = {}
_pending_lock = threading.Lock()


def _thread_pending() -> list[_Staged]:
    ident = threading.get_ident()
    with _pending_lock:
        return _pending.setdefault(ident, [])


def _staged_for(storage: FileSystemStorage, name: str) -> _Staged | None:
    pending = _pending.get(threading.get_ident())
    if not pending:
        return None
    for entry in pending:
        if entry.name == name and entry.storage.location == storage.location:
            return entry
    return None


class TransactionalFileSystemStorage(FileSystemStorage):
    """Django's file system storage, aware of the files this thread has staged with
    ``save_on_commit`` and not yet published."""

    def path(self, name: str) -> str:
        entry = _staged_for(self, name)
        return entry.staged_path if entry is not None else super().path(name)

    def final_path(self, name: str) -> str:
        return super().path(name)

    def staging_path(self, name: str) -> str:
        folder, filename = os.path.split(self.final_path(name))
        return os.path.join(folder, STAGING_PREFIX + filename)

    def exists(self, name: str) -> bool:
        # A name is taken while another transaction is staging a file under it, too.
        return super().exists(name) or os.path.lexists(self.staging_path(name))

    def _make_folder(self, path: str) -> None:
        folder = os.path.dirname(path)
        if self.directory_permissions_mode is not None:
            old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
            try:
                os.makedirs(folder, self.directory_permissions_mode, exist_ok=True)
            finally:
                os.umask(old_umask)
        else:
            os.makedirs(folder, exist_ok=True)

    def stage(
        self, name: str, data: bytes, *, max_length: int | None = None, sync: bool = True
    ) -> tuple[str, str]:
        """Write ``data`` to a staging file for a free final name close to ``name``; return
        the final name and the staging path. Raises OSError (a full disk) before anything is
        left behind. ``sync=False`` leaves the flush to disk to the caller (``sync_staged``,
        once for a batch of files)."""
        name = self.get_available_name(name, max_length=max_length)
        for _attempt in range(NAME_ATTEMPTS):
            staged_path = self.staging_path(name)
            final_path = self.final_path(name)
            self._make_folder(final_path)  # before commit: a new folder may need space
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            try:
                fd = os.open(staged_path, flags, 0o666)
            except FileExistsError:  # another transaction is staging this name
                name = self.get_available_name(name, max_length=max_length)
                continue
            if os.path.lexists(final_path):  # published meanwhile by another transaction
                os.close(fd)
                os.remove(staged_path)
                name = self.get_available_name(name, max_length=max_length)
                continue
            try:
                try:
                    _write(fd, data)
                    if sync:
                        os.fsync(fd)
                finally:
                    os.close(fd)
                if self.file_permissions_mode is not None:
                    os.chmod(staged_path, self.file_permissions_mode)
            except BaseException:
                _remove(staged_path)
                raise
            return name, staged_path
        raise FileExistsError(f"No free file name like {name!r} after {NAME_ATTEMPTS} tries.")


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def _publish(entry: _Staged) -> None:
    """Move a staged file into place once its transaction has committed. The row is already
    committed: a failure here is logged, and the staged file is kept for an administrator."""
    pending = _pending.get(threading.get_ident(), [])
    if entry not in pending:
        return  # published already, or discarded (its staging file deleted)
    pending.remove(entry)
    final_path = entry.storage.final_path(entry.name)
    try:
        try:
            os.link(entry.staged_path, final_path)  # never replaces an existing file
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            os.rename(entry.staged_path, final_path)
        else:
            os.remove(entry.staged_path)
    except OSError:
        logger.exception(
            "The committed file %s could not be moved into place; its bytes are kept in %s.",
            entry.name,
            entry.staged_path,
        )


def save_on_commit(
    field_file: FieldFile,
    name: str,
    content: bytes | File,
    *,
    using: str = DEFAULT_DB_ALIAS,
    sync: bool = True,
) -> str:
    """Store ``content`` for ``field_file`` (of an unsaved or saved instance) as its field's
    ``upload_to`` names it, tied to the current transaction of ``using``: written before
    commit, published at commit, deleted if the transaction rolls back. Sets the field's name
    on the instance (save the instance yourself) and returns it.

    Outside a transaction the file is published at once. ``sync=False`` (inside a
    transaction only) writes without flushing to disk: the caller then calls
    ``sync_staged`` for the batch before writing its rows, so that one flush serves many
    files and no row is committed before its file is on disk.
    """
    storage = field_file.storage
    if not isinstance(storage, TransactionalFileSystemStorage):
        raise ImproperlyConfigured(
            f"save_on_commit needs core.files.TransactionalFileSystemStorage, not "
            f"{type(storage).__name__} (set STORAGES['default'])."
        )
    discard_uncommitted()
    data = content if isinstance(content, bytes) else content.read()
    name = field_file.field.generate_filename(field_file.instance, name)
    in_transaction = transaction.get_connection(using).in_atomic_block
    final_name, staged_path = storage.stage(
        name, data, max_length=field_file.field.max_length, sync=sync or not in_transaction
    )
    field_file.name = final_name
    setattr(field_file.instance, field_file.field.attname, final_name)
    field_file._committed = True  # type: ignore[attr-defined]

    entry = _Staged(storage=storage, name=final_name, staged_path=staged_path)
    entry.publish = lambda: _publish(entry)
    _thread_pending().append(entry)
    transaction.on_commit(entry.publish, using=using, robust=True)
    return final_name


def sync_staged(names: list[str], *, storage: Storage) -> None:
    """Flush to disk the files this thread staged with ``save_on_commit(sync=False)`` under
    ``names`` in ``storage``: every file's data is written first, then each is flushed, so
    the disk is asked to write once for the lot rather than once a file. Raises OSError (a
    full disk) inside the caller's transaction, which then rolls back and discards them."""
    staged = {
        entry.name: entry.staged_path
        for entry in _pending.get(threading.get_ident(), [])
        if entry.storage.location == getattr(storage, "location", None)
    }
    for name in names:
        if name not in staged:
            raise LookupError(f"{name!r} is not a file staged by this thread.")
        fd = os.open(staged[name], os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def discard_uncommitted(*, everything: bool = False) -> int:
    """Delete this thread's staged files whose transaction or savepoint rolled back (or, with
    ``everything``, every staged file of every thread: at process exit). Returns how many."""
    if everything:
        with _pending_lock:
            entries = [entry for pending in _pending.values() for entry in pending]
            _pending.clear()
        for entry in entries:
            _remove(entry.staged_path)
        return len(entries)

    pending = _pending.get(threading.get_ident())
    if not pending:
        return 0
    open_connections = connections.all(initialized_only=True)
    if any(c.run_commit_hooks_on_set_autocommit_on for c in open_connections):
        return 0  # commit hooks are running: the callbacks being run are not listed any more
    # Django keeps (savepoint ids, callback, robust) for each callback still to run.
    waiting = {id(hook[1]) for c in open_connections for hook in c.run_on_commit}
    gone = [entry for entry in pending if id(entry.publish) not in waiting]
    for entry in gone:
        pending.remove(entry)
        _remove(entry.staged_path)
    return len(gone)


def _discard_at_request_end(**kwargs) -> None:
    discard_uncommitted()


request_finished.connect(_discard_at_request_end, dispatch_uid="core.files.discard_uncommitted")
# At exit no transaction of this process can commit any more.
atexit.register(discard_uncommitted, everything=True)
