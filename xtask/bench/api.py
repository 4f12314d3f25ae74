"""API throughput for `cargo xtask bench`: the release server on loopback, seeded with users,
measured with wrk beside a plain handler in the same binary that returns the same bytes from
memory (`--bench-plain-dir`, only in a build with the `bench-plain` feature, as `cargo xtask
bench` builds it). Prints one JSON object. Usage: api.py SERVER_BINARY WORK_DIR (sqlite|postgres) QUICK
"""

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

SERVER, WORK, ENGINE, QUICK = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
DURATION = "2s" if QUICK else "10s"
USERS = 2_000 if QUICK else 10_000
MANY = 5_000 if QUICK else 100_000
# Concurrent writers of the write benchmark (PostgreSQL), and how long each count runs.
WRITERS = (1, 4, 16)
WRITE_DURATION = "1s" if QUICK else "8s"
WRITES_LUA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "writes.lua")
PASSWORD = "correct horse battery staple"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(args):
    return (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []) + args


def postgres_cluster(root):
    """A throwaway cluster in WORK; returns (url, stop function)."""
    bins = sorted(p for p in (os.path.join("/usr/lib/postgresql", v, "bin") for v in os.listdir("/usr/lib/postgresql"))
                  if os.path.exists(os.path.join(p, "initdb")))[-1]
    os.makedirs(root, exist_ok=True)
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres:postgres", root], check=True)
    data = os.path.join(root, "data")
    subprocess.run(as_postgres([f"{bins}/initdb", "-D", data, "--auth=trust", "--username=postgres",
                                "--locale=C", "--encoding=UTF8", "--no-sync"]), check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    log = open(os.path.join(WORK, "postgres.log"), "w")
    proc = subprocess.Popen(as_postgres([f"{bins}/postgres", "-D", data, "-k", root, "-p", str(port),
                                         "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=100"]),
                            stdout=log, stderr=log)
    for _ in range(300):
        if subprocess.run([f"{bins}/pg_isready", "-h", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL).returncode == 0:
            break
        time.sleep(0.1)
    subprocess.run([f"{bins}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "useradmin"], check=True)

    def stop():
        pid = int(open(os.path.join(data, "postmaster.pid")).readline())
        os.kill(pid, 2)
        proc.wait(timeout=30)

    return f"postgres://postgres@127.0.0.1:{port}/useradmin", bins, port, stop


class Server:
    def __init__(self, data, db_url, plain_dir=None):
        args = [SERVER, "--listen", "127.0.0.1:0", "--data-dir", data, "--static-dir", os.path.join(data, "dist")]
        if db_url:
            args += ["--database-url", db_url]
        env = dict(os.environ, RUST_LOG="warn")
        if plain_dir:
            env["USERADMIN_BENCH_PLAIN_DIR"] = plain_dir
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
        self.address = self.proc.stdout.readline().strip().removeprefix("listening on ")
        self.link = None
        if not plain_dir:
            line = self.proc.stdout.readline().strip()
            self.link = line.removeprefix("admin invitation: ") if line.startswith("admin invitation") else None

    def rss_kib(self):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def request(method, url, body=None, cookie=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("content-type", "application/json")
    if cookie:
        req.add_header("cookie", cookie)
    with urllib.request.urlopen(req) as response:
        return response.read(), response.headers


def seed(db_url, data, pg, first, last):
    """Inserts registered users `first`..`last` with the same SQL on either engine."""
    sql = ("INSERT INTO users (email, email_lower, name, name_lower, roles, version, invited_at, registered_at) "
           "SELECT 'user' || n || '@example.com', 'user' || n || '@example.com', 'User Number ' || n, "
           "'user number ' || n, 'reports', 1, 0, 0 FROM {series}")
    if ENGINE == "postgres":
        bins, port = pg
        series = f"generate_series({first}, {last}) AS n"
        subprocess.run([f"{bins}/psql", "-q", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "useradmin",
                        "-c", sql.format(series=series)], check=True)
    else:
        db = sqlite3.connect(os.path.join(data, "useradmin.db"))
        series = f"(WITH RECURSIVE s(n) AS (SELECT {first} UNION ALL SELECT n + 1 FROM s WHERE n < {last}) SELECT n FROM s)"
        db.execute(sql.format(series=series))
        db.commit()
        db.close()


def millis(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, cookie):
    out = subprocess.run(["wrk", "-t2", "-c10", "-d", DURATION, "--latency", "-H", f"Cookie: {cookie}", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = millis(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = millis(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "non_2xx": int(errors.group(1)) if errors else 0}


def write_run(base, cookie, writers, first_id):
    """Edits per second with `writers` writers, each editing a user of its own (ids from
    `first_id` on)."""
    out = subprocess.run(["wrk", f"-t{writers}", f"-c{writers}", "-d", WRITE_DURATION, "--latency",
                          "-H", f"Cookie: {cookie}", "-s", WRITES_LUA, base + "/api/v1/users", "--", str(first_id)],
                         capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": millis(re.search(r"\s50%\s+(\S+)", out).group(1)),
            "p99_ms": millis(re.search(r"\s99%\s+(\S+)", out).group(1)),
            "non_2xx": int(errors.group(1)) if errors else 0}


def writes(data, db_url, plain_dir, cookie):
    """For each count of writers, edits per second before (every write queued on the one
    `write_lock` row, as all PostgreSQL writes were until they locked only what their rules need;
    a benchmark build can still do it) and now, run back to back so that both see the same load
    on this shared machine. The seeded users are ids 2 on (1 is the administrator); every run
    edits users of its own."""
    before, now, next_id = {}, {}, 2
    for writers in WRITERS:
        for one_writer, into in ((True, before), (False, now)):
            if one_writer:
                os.environ["USERADMIN_BENCH_ONE_WRITER"] = "1"
            server = Server(data, db_url, plain_dir)
            os.environ.pop("USERADMIN_BENCH_ONE_WRITER", None)
            into[str(writers)] = write_run(server.address, cookie, writers, next_id)
            server.stop()
            next_id += writers
    return before, now


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    data = os.path.join(WORK, "data")
    os.makedirs(data)
    stop_pg, pg, db_url = None, None, None
    if ENGINE == "postgres":
        db_url, bins, port, stop_pg = postgres_cluster(os.path.join(WORK, "pg"))
        pg = (bins, port)
    try:
        server = Server(data, db_url)
        base = server.address
        token = server.link.rsplit("/", 1)[1]
        _, headers = request("POST", f"{base}/api/v1/invitations/{token}/accept", {"name": "Ada", "password": PASSWORD})
        cookie = headers["set-cookie"].split(";")[0]
        seed(db_url, data, pg, 1, USERS)
        endpoints = {"users": "/api/v1/users?limit=100", "search": "/api/v1/users?limit=100&search=number%2042",
                     "me": "/api/v1/me"}
        plain_dir = os.path.join(WORK, "plain")
        os.makedirs(plain_dir)
        for name, path in endpoints.items():
            body, _ = request("GET", base + path, cookie=cookie)
            open(os.path.join(plain_dir, name), "wb").write(body)
        server.stop()
        server = Server(data, db_url, plain_dir)
        base = server.address
        time.sleep(0.5)
        result = {"engine": ENGINE, "users": USERS, "duration": DURATION, "rss_idle_kib": server.rss_kib(), "endpoints": {}}
        for name, path in endpoints.items():
            checked = wrk(base + path, cookie)
            plain = wrk(f"{base}/__bench/plain/{name}", cookie)
            checked["plain_rps"] = plain["rps"]
            checked["ratio"] = round(checked["rps"] / plain["rps"], 3)
            result["endpoints"][name] = checked
        result["rss_after_kib"] = server.rss_kib()
        server.stop()
        if ENGINE == "postgres":
            result["writes_one_writer"], result["writes"] = writes(data, db_url, plain_dir, cookie)
        seed(db_url, data, pg, USERS + 1, MANY)
        server = Server(data, db_url, plain_dir)
        result["many_users"] = MANY
        result["search_many"] = wrk(server.address + endpoints["search"], cookie)
        result["rss_many_kib"] = server.rss_kib()
        server.stop()
        print(json.dumps(result))
    finally:
        if stop_pg:
            stop_pg()


main()
