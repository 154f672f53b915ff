"""``make run``: start Esi Pro on this machine with a demo organisation; Ctrl-C stops everything.

Steps: create the ``.data`` folders (``ESIPRO_DATA_DIR``); pick the database (``DATABASE_URL``, else
the embedded PostgreSQL of the ``pgserver`` wheel in ``.data/pg``, reusing a server a killed run
left behind); ``manage.py esipro_migrate``; ``manage.py demo_seed`` (idempotent); start the web
server and a Celery worker (Redis when ``CELERY_BROKER_URL`` is set, else kombu's filesystem
transport in ``.data/broker``); print the address and the logins; wait. On Ctrl-C or SIGTERM
the children are stopped, then the embedded PostgreSQL. The database URL is computed here once
and handed to every child, so no child ever starts a server of its own.

This module only runs processes: it never imports Django settings.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

from esipro import dbconfig

BASE_DIR = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 120
STOP_TIMEOUT = 15
RULE = "─" * 72


class LaunchError(Exception):
    """A step failed; the message says which one and what to do about it."""


def say(text: str = "") -> None:
    print(text, flush=True)


def _die_with_parent() -> None:
    """In a child: receive SIGTERM if the launcher dies, even by SIGKILL (Linux only)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class EmbeddedPostgres:
    """The ``pgserver`` PostgreSQL in ``pgdata``: started, or a leftover one reused, then stopped."""

    def __init__(self, pgdata: Path):
        self.pgdata = pgdata
        # pgserver runs the server as the unprivileged user ``pgserver`` when started as root.
        self.system_user = "pgserver" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
        self.started = False

    def _postmaster(self):
        from pgserver.utils import PostmasterInfo

        try:
            info = PostmasterInfo.read_from_pgdata(self.pgdata)
        except (AssertionError, ValueError, OSError):  # a file being written, or a truncated one
            return None
        if info is None or not info.is_running():
            return None
        try:
            return info if info.process.name() == "postgres" else None
        except Exception:  # the process vanished meanwhile
            return None

    def start(self) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import pgserver  # noqa: F401

        leftover = self._postmaster()
        if leftover is not None:
            say(f"PostgreSQL intégré : serveur resté actif d'un lancement précédent (pid {leftover.pid}), réutilisé.")
        else:
            # A postmaster.pid naming a dead or foreign process would make pgserver skip the start.
            (self.pgdata / "postmaster.pid").unlink(missing_ok=True)
            first = not (self.pgdata / "PG_VERSION").exists()
            say("PostgreSQL intégré : " + ("création de la base" if first else "démarrage") + f" dans {self.pgdata}…")
        self.started = True
        try:
            try:
                return self._url()
            except subprocess.TimeoutExpired:
                # pgserver gives pg_ctl 10 s; a server recovering from a crash on a busy machine needs more.
                say("PostgreSQL intégré : démarrage plus long que prévu (récupération après un arrêt brutal ?)…")
                deadline = time.monotonic() + READY_TIMEOUT
                while not self._ready():
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(1)
                from pgserver.postgres_server import PostgresServer

                PostgresServer._instances.pop(self.pgdata.resolve(), None)  # forget the failed handle
                return self._url()
        except Exception as exc:
            log = self.pgdata / "log"
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:]) if log.exists() else ""
            raise LaunchError(
                f"PostgreSQL intégré n'a pas démarré ({exc}).\n{tail}\n"
                "Supprimez le dossier de données pour repartir de zéro, ou définissez DATABASE_URL."
            ) from exc

    def _url(self) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return dbconfig.embedded_url(self.pgdata)

    def _ready(self) -> bool:
        info = self._postmaster()
        return info is not None and info.status == "ready"

    def stop(self) -> None:
        from pgserver._commands import pg_ctl

        if self._postmaster() is None:
            return
        say("Arrêt de PostgreSQL intégré…")
        try:
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self.system_user, timeout=60)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            info = self._postmaster()
            if info is not None:
                info.process.terminate()
                try:
                    info.process.wait(10)
                except Exception:
                    info.process.kill()


class Launcher:
    def __init__(self):
        self.data_dir = dbconfig.data_dir(BASE_DIR).resolve()
        try:
            self.port = int(os.environ.get("ESIPRO_PORT", "8000"))
        except ValueError:
            raise LaunchError(f"ESIPRO_PORT={os.environ['ESIPRO_PORT']!r} n'est pas un numéro de port.") from None
        self.base_domain = os.environ.get("ESIPRO_BASE_DOMAIN", "localhost")
        self.env = dict(os.environ, ESIPRO_DATA_DIR=str(self.data_dir), PYTHONUNBUFFERED="1",
                        DJANGO_SETTINGS_MODULE="esipro.settings")
        self.embedded: EmbeddedPostgres | None = None
        self.children: dict[str, subprocess.Popen] = {}
        self.output_lock = threading.Lock()
        self.pid_file = self.data_dir / "run.pid"

    # -- steps ------------------------------------------------------------------------------------

    def prepare(self) -> None:
        for folder in ["", "pg", "broker/queue", "broker/processed", "broker/control", "static", "media"]:
            (self.data_dir / folder).mkdir(parents=True, exist_ok=True)
        other = self._running_launcher()
        if other:
            raise LaunchError(f"Esi Pro tourne déjà avec ce dossier de données (pid {other}) : arrêtez-le d'abord.")
        if not port_is_free(self.port):
            raise LaunchError(
                f"Le port {self.port} est déjà utilisé. Libérez-le ou choisissez-en un autre : "
                f"ESIPRO_PORT={self.port + 1} make run"
            )
        self.pid_file.write_text(str(os.getpid()))

    def _running_launcher(self) -> int | None:
        import psutil

        try:
            pid = int(self.pid_file.read_text().strip())
            if pid != os.getpid() and "esipro.launcher" in " ".join(psutil.Process(pid).cmdline()):
                return pid
        except (OSError, ValueError, psutil.Error):
            pass
        return None

    def database(self) -> str:
        if os.environ.get("DATABASE_URL"):
            say("Base de données : DATABASE_URL.")
            return "DATABASE_URL"
        self.embedded = EmbeddedPostgres(self.data_dir / "pg")
        self.env["DATABASE_URL"] = self.embedded.start()
        self.env["ESIPRO_EMBEDDED_DB"] = "1"
        return f"PostgreSQL intégré ({self.data_dir / 'pg'})"

    def step(self, label: str, *args: str) -> None:
        say(f"{label}…")
        process = self._spawn(label, [sys.executable, "manage.py", *args], pipe=False)
        code = process.wait()
        del self.children[label]
        if code != 0:
            raise LaunchError(f"L'étape « {label} » a échoué (code {code}) : voir les messages ci-dessus.")

    def serve(self) -> None:
        self._spawn("web", [sys.executable, "manage.py", "runserver", f"0.0.0.0:{self.port}", "--noreload"])
        self._spawn("worker", [
            sys.executable, "-m", "celery", "-A", "esipro", "--quiet", "worker", "--pool", "solo",
            "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
            # the periodic housekeeping (CELERY_BEAT_SCHEDULE) runs inside this one worker
            "--beat", "--schedule", str(self.data_dir / "celerybeat-schedule"),
        ])
        deadline = time.monotonic() + READY_TIMEOUT
        while not port_answers(self.port):
            self._check_children()
            if time.monotonic() > deadline:
                raise LaunchError(f"Le serveur web ne répond pas sur le port {self.port} après {READY_TIMEOUT} s.")
            time.sleep(0.3)

    def banner(self, database: str) -> None:
        from demo.data import DEMO_PASSWORD, USER_ROLES, demo_user_email

        url = f"http://demo.{self.base_domain}:{self.port}/"
        broker = "Redis (CELERY_BROKER_URL)" if os.environ.get("CELERY_BROKER_URL") else (
            f"worker Celery, file {self.data_dir / 'broker'}")
        lines = [RULE, f"  Esi Pro est prêt : {url}", ""]
        lines += [f"  {label:<16} {demo_user_email(local, 'demo')}" for _role, label, local, _ in USER_ROLES]
        lines += [
            f"  {'Mot de passe':<16} {os.environ.get('ESIPRO_DEMO_PASSWORD', DEMO_PASSWORD)}", "",
            f"  API et documentation : {url}api/v1/docs",
            f"  ESAT de démonstration : http://esat-demo.{self.base_domain}:{self.port}/ "
            "(mêmes comptes en @esat-demo.esipro.fr)",
            f"  Base : {database}", f"  Tâches de fond : {broker}",
            "  Ctrl-C arrête tout (serveur web, worker" + (" et base intégrée)." if self.embedded else ")."),
            RULE,
        ]
        with self.output_lock:
            say("\n".join(lines))

    def wait(self) -> None:
        while True:
            self._check_children()
            time.sleep(0.5)

    # -- processes --------------------------------------------------------------------------------

    def _spawn(self, name: str, command: list[str], *, pipe: bool = True) -> subprocess.Popen:
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if pipe else None, stderr=subprocess.STDOUT if pipe else None,
            text=True, bufsize=1, start_new_session=True, preexec_fn=_die_with_parent,
        )
        self.children[name] = process
        if pipe:
            threading.Thread(target=self._relay, args=(name, process), daemon=True).start()
        return process

    def _relay(self, name: str, process: subprocess.Popen) -> None:
        for line in process.stdout:
            with self.output_lock:
                sys.stdout.write(f"{name:<6} | {line}")
                sys.stdout.flush()

    def _check_children(self) -> None:
        for name, process in self.children.items():
            if process.poll() is not None:
                raise LaunchError(f"Le processus « {name} » s'est arrêté (code {process.returncode}) : "
                                  "voir ses messages ci-dessus.")

    def shutdown(self) -> None:
        for process in self.children.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in self.children.values():
            try:
                process.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.children.clear()
        if self.embedded is not None and self.embedded.started:
            self.embedded.stop()
        if self._pid_file_is_ours():
            self.pid_file.unlink(missing_ok=True)

    def _pid_file_is_ours(self) -> bool:
        try:
            return int(self.pid_file.read_text().strip()) == os.getpid()
        except (OSError, ValueError):
            return False

    def run(self) -> None:
        say(f"Esi Pro — données dans {self.data_dir}")
        self.prepare()
        database = self.database()
        self.step("Migration de la base (la première fois : une à deux minutes)", "esipro_migrate", "-v", "0")
        self.step("Organisation de démonstration", "demo_seed")
        self.serve()
        self.banner(database)
        self.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    launcher = None
    code = 0
    try:
        launcher = Launcher()
        launcher.run()
    except KeyboardInterrupt:
        say("\nArrêt demandé.")
    except LaunchError as exc:
        print(f"\nErreur : {exc}", file=sys.stderr, flush=True)
        code = 1
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # let the shutdown finish: it is bounded by timeouts
        if launcher is not None:
            launcher.shutdown()
        say("Esi Pro est arrêté.")
    return code


if __name__ == "__main__":
    sys.exit(main())
