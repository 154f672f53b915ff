"""``make run`` for real: the launcher starts the embedded database, the web server and a worker,
serves the demo organisation, stops everything on Ctrl-C and finds its data again next time."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import psutil

from tests.conftest import wait_for

BASE_DIR = Path(__file__).resolve().parents[2]
HOST = "demo.localhost"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Browser:
    """Just enough of a browser on ``demo.localhost``: cookies, the CSRF token, a login."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": f"{HOST}:{self.port}", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        text = response.read().decode()
        connection.close()
        return response.status, text

    def login(self, email: str, password: str) -> int:
        _status, page = self.request("GET", "/comptes/connexion/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request("POST", "/comptes/connexion/",
                                 {"csrfmiddlewaretoken": token, "username": email, "password": password})
        return status


class Run:
    """One ``python -m esipro.launcher``, its output in a file."""

    def __init__(self, data_dir: Path, port: int, log: Path):
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
        env.update(ESIPRO_DATA_DIR=str(data_dir), ESIPRO_EMBEDDED_DB="1", ESIPRO_PORT=str(port),
                   ESIPRO_SHARED_DATA=str(data_dir / "no-shared-data"))
        self.log = log
        self.handle = log.open("w")
        self.process = subprocess.Popen([sys.executable, "-m", "esipro.launcher"], cwd=BASE_DIR, env=env,
                                        stdout=self.handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def output(self) -> str:
        return self.log.read_text()

    def wait_ready(self, url: str, timeout: float = 300) -> None:
        ready = wait_for(lambda: url in self.output() or self.process.poll() is not None, timeout=timeout,
                         interval=0.5)
        assert ready and self.process.poll() is None, f"launcher not ready:\n{self.output()[-4000:]}"

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(90)
        finally:
            self.handle.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.handle.close()


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def postmaster_pid(pgdata: Path) -> int | None:
    try:
        return int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def test_it_runs_the_demo_and_stops_everything_on_ctrl_c(tmp_path):
    # Not under tmp_path: every new pytest session resets /tmp/pytest-of-<user> to 0700, which would
    # lock the embedded server (run as the user ``pgserver`` under root) out of its own files.
    data_dir, port = Path(tempfile.mkdtemp(prefix="esipro-launcher-")) / "data", free_port()
    url = f"http://{HOST}:{port}/"
    pgdata = data_dir / "pg"
    runs = []
    try:
        first = Run(data_dir, port, tmp_path / "first.log")
        runs.append(first)
        first.wait_ready(url)
        output = first.output()
        for login in ["admin@demo.esipro.fr", "rh@demo.esipro.fr", "encadrant@demo.esipro.fr",
                      "salarie@demo.esipro.fr", "Mot de passe     gepp-demo-2030"]:
            assert login in output
        assert "Organisation « Démo Industrie » créée (demo)" in output
        assert "Organisation « ESAT Démo » créée (esat-demo)" in output

        status, page = Browser(port).request("GET", "/comptes/connexion/")
        assert status == 200
        assert "Démo Industrie" in page and 'name="password"' in page

        children = [p.pid for p in psutil.Process(first.process.pid).children(recursive=True)]
        commands = [" ".join(psutil.Process(pid).cmdline()) for pid in children]
        assert any("runserver" in c for c in commands) and any("celery" in c for c in commands), commands
        database = postmaster_pid(pgdata)
        assert database is not None and not gone(database)

        assert first.stop() == 0
        assert wait_for(lambda: all(gone(pid) for pid in [*children, database]), timeout=30)
        assert not port_answers(port)
        assert not (pgdata / "postmaster.pid").exists()
        assert "Esi Pro est arrêté." in first.output()

        second = Run(data_dir, port, tmp_path / "second.log")
        runs.append(second)
        second.wait_ready(url)
        output = second.output()
        assert "Organisation « Démo Industrie » déjà présente (demo)" in output
        assert "Données déjà en place, inchangées : 150 salariés" in output
        assert "Organisation « ESAT Démo » déjà présente (esat-demo)" in output

        browser = Browser(port)
        assert browser.login("admin@demo.esipro.fr", "gepp-demo-2030") == 302
        status, body = browser.request("GET", "/api/v1/employees?limit=1")
        assert status == 200 and json.loads(body)["count"] == 150
        database = postmaster_pid(pgdata)
        assert second.stop() == 0
        assert wait_for(lambda: gone(database) and not port_answers(port), timeout=30)
    finally:
        for run in runs:
            run.kill()
        if postmaster_pid(pgdata) and not gone(postmaster_pid(pgdata)):  # a failed run: leave nothing behind
            from pgserver._commands import pg_ctl

            pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=pgdata,
                   user="pgserver" if os.geteuid() == 0 else None)
        shutil.rmtree(data_dir.parent, ignore_errors=True)
