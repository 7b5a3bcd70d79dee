#!/usr/bin/env python
"""Haven benchmark: Rasa's own REST server (a) against Haven's signed Twilio webhook (b).

Same trained model, same machine, same kind of tracker store (SQLite, a fresh file each), one run,
phase by phase alternating (a) then (b). Loopback only; every loop is bounded in count and time.
Writes bench/results.md, bench/results.png and bench/results.json. See bench/README.md.

    .venv/bin/python bench/run.py            # the full run (about 15-20 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # a smoke run (under 3 minutes; figures are rough)
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent  # the venv's bin (rasa, haven)
LOOPBACK = "127.0.0.1"

# ------------------------------------------------------------------------------------------------
# What is sent: realistic first messages, five per language, as people type them (two carry
# identifiers that Haven scrubs). No message is a gateway keyword (STOP, HELP...) or a menu digit,
# so both servers run the same NLU and dialogue for every message.
MESSAGES: dict[str, list[str]] = {
    "en": [
        "my passport burned in the fire what do I do",
        "where can we sleep tonight, our house was bombed",
        "how do I get out of the country, the airport is closed",
        "my employer took my passport P1234567 and won't give it back, call me on +961 71 123 456",
        "I can't find my brother since the shelling started",
    ],
    "fr": [
        "j'ai perdu mes papiers pendant l'évacuation, que faire ?",
        "où trouver un abri pour ma famille cette nuit",
        "comment contacter mon ambassade, le téléphone ne répond pas",
        "mon patron ne m'a pas payé depuis trois mois",
        "est-ce que je peux aller à l'hôpital sans papiers",
    ],
    "es": [
        "perdí mi pasaporte en el terremoto, qué hago",
        "dónde podemos dormir esta noche con los niños",
        "cómo salgo del país si no tengo dinero para el billete",
        "mi hijo está solo en la frontera, ayúdenme",
        "necesito un médico pero no tengo papeles",
    ],
    "ar": [
        "ضاع جواز سفري في الحريق ماذا أفعل",
        "وين ممكن ننام الليلة بيتنا انقصف",
        "كيف أتواصل مع سفارتي",
        "ana fi beirut w jawazi da3",
        "الكفيل أخذ جوازي ولا يريد إرجاعه",
    ],
    "ru": [
        "я потерял паспорт при эвакуации, что делать",
        "где можно переночевать, наш дом разрушен",
        "как связаться с посольством",
        "работодатель не платит зарплату уже два месяца",
        "как выехать из страны, если нет денег",
    ],
    "uk": [
        "де можна сховатися від обстрілів",
        "я загубила документи, що робити",
        "як виїхати з країни з дітьми",
        "не можу знайти маму після обстрілу",
        "чи можу я отримати медичну допомогу без документів",
    ],
    "fil": [
        "nawala ang passport ko sa sunog, ano ang gagawin ko",
        "kinuha ng amo ko ang passport ko",
        "saan kami pwedeng matulog ngayong gabi",
        "paano ako makakauwi sa Pilipinas, wala akong pera",
        "hindi ako binabayaran ng amo ko ng tatlong buwan, email ko ay maria.santos@example.com",
    ],
    "bn": [
        "আমার পাসপোর্ট আগুনে পুড়ে গেছে কী করব",
        "আজ রাতে কোথায় থাকব আমাদের বাড়ি ভেঙে গেছে",
        "দূতাবাসের সাথে কীভাবে যোগাযোগ করব",
        "amar malik passport rekhe diyeche",
        "দেশে ফেরার টাকা নেই কী করব",
    ],
}
LANGUAGES = list(MESSAGES)
TURNS = 3  # messages per conversation in the latency and throughput phases (people send a few)


def conversation_text(sender: int, turn: int, length: int | None = None) -> str:
    """The `turn`-th message of `sender`'s conversation: one language per conversation (sender %
    8), its messages in turn. With `length`, that language's sentences joined and cut to exactly
    `length` characters."""
    pool = MESSAGES[LANGUAGES[sender % len(LANGUAGES)]]
    k = sender // len(LANGUAGES) + turn
    if length is None:
        return pool[k % len(pool)]
    parts: list[str] = []
    while sum(len(p) + 2 for p in parts) < length:
        parts.append(pool[(k + len(parts)) % len(pool)])
    return ". ".join(parts)[:length].rstrip().ljust(length, ".")


def phone(index: int) -> str:
    """Fictional numbers only: +1 415 555 0100-0199 (reserved for fiction), then +999 (an ITU
    country code not assigned to any country)."""
    return f"+1415555{100 + index:04d}" if index < 100 else f"+999{index:09d}"


# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    warmup: int = 30
    sequential: int = 300
    concurrent_max: int = 1000
    concurrent_seconds: float = 20.0
    length_count: int = 100
    lengths: tuple[int, ...] = (10, 100, 1000)
    long_turns: int = 100  # one conversation this long: latency of its first and last 10 messages
    growth_levels: tuple[int, ...] = (1, 1000, 10000)
    growth_measure: int = 200
    populate_seconds: float = 600.0  # per level, (a) and (b) together; a level not reached is reported
    ready_seconds: float = 300.0
    budget_minutes: float = 25.0
    rounds: int = 4  # each phase split into rounds, ABBA order


QUICK = Plan(
    warmup=5,
    sequential=30,
    concurrent_max=120,
    concurrent_seconds=4.0,
    length_count=10,
    long_turns=20,
    growth_levels=(1, 50, 150),
    growth_measure=30,
    populate_seconds=20.0,
    ready_seconds=120.0,
    budget_minutes=3.0,
    rounds=2,
)


@dataclass
class Sample:
    latency: float  # seconds
    ok: bool


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0-100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 100)))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(samples: list[Sample], elapsed: float | None = None) -> dict:
    good = [s.latency * 1000 for s in samples if s.ok]
    out = {
        "count": len(samples),
        "errors": sum(1 for s in samples if not s.ok),
        "p50_ms": percentile(good, 50),
        "p95_ms": percentile(good, 95),
        "p99_ms": percentile(good, 99),
        "mean_ms": statistics.fmean(good) if good else None,
    }
    if elapsed is not None:
        out["seconds"] = elapsed
        out["throughput_rps"] = len(good) / elapsed if elapsed > 0 else None
    return out


# ------------------------------------------------------------------------------------------------
# The servers
def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def rss_mb(pid: int) -> float | None:
    """VmRSS of a process and all its descendants, in MB (psutil-free: /proc/<pid>/status)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+)\s+kB", status, re.M)
        total += int(match.group(1)) if match else 0
        todo.extend(_children(p))
    return total / 1024 if total else None


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants so far (/proc/<pid>/stat)."""
    total, todo, seen = 0, [pid], set()
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        todo.extend(_children(p))
    return total / tick


def machine_busy_seconds() -> float:
    """CPU seconds all processes on the machine have used so far (/proc/stat, all CPUs)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def background_snapshot() -> tuple[float, float, float]:
    """(wall time, machine CPU, CPU of this script and its servers): to tell how much of the
    machine other processes took during a phase."""
    own = os.times()
    ours = own.user + own.system + sum(server.cpu() for server in _RUNNING)
    return time.monotonic(), machine_busy_seconds(), ours


def other_cores(since: tuple[float, float, float]) -> float | None:
    now = background_snapshot()
    wall = now[0] - since[0]
    return max(0.0, ((now[1] - since[1]) - (now[2] - since[2])) / wall) if wall > 0 else None


class Server:
    """One server process in its own process group, logging to a file."""

    label = "?"
    name = "?"

    def __init__(self, workdir: Path, model: Path) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.model = model
        self.port = free_port()
        self.base = f"http://{LOOPBACK}:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log_path = workdir / f"{self.label}.log"
        self.started_at = 0.0

    def command(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["RASA_TELEMETRY_ENABLED"] = "false"
        env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        return env

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            self.command(), cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
        log.close()
        _RUNNING.append(self)

    async def ready(self, client) -> bool:
        raise NotImplementedError

    async def wait_ready(self, limit: float) -> float:
        """Seconds from process start until ready; raises if it dies or takes longer than `limit`."""
        import httpx

        async with httpx.AsyncClient(timeout=2.0) as client:
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before ready; log: {self.log_path}\n{self.tail()}")
                try:
                    if await self.ready(client):
                        return time.monotonic() - self.started_at
                except httpx.HTTPError:
                    pass
                if time.monotonic() - self.started_at > limit:
                    raise RuntimeError(f"{self.name} not ready after {limit:.0f} s; log: {self.log_path}\n{self.tail()}")
                await asyncio.sleep(0.1)

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid) if self.proc and self.proc.poll() is None else 0.0

    def rss(self) -> float | None:
        return rss_mb(self.proc.pid) if self.proc and self.proc.poll() is None else None

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # the group this script started, by its id
                proc.wait(timeout=25)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        self.proc = None
        if self in _RUNNING:
            _RUNNING.remove(self)


class RasaServer(Server):
    """(a) `rasa run` with its REST channel, the content NLG and an SQLite tracker store."""

    label = "a"
    name = "Rasa REST"

    def __init__(self, workdir: Path, model: Path) -> None:
        super().__init__(workdir, model)
        self.endpoints = workdir / "endpoints.yml"
        self.credentials = workdir / "credentials.yml"
        self.endpoints.write_text(
            "nlg:\n  type: bot.nlg.ContentNLG\n"
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'conversations.db'}\n"
        )
        self.credentials.write_text("rest:\n")
        self.url = self.base + "/webhooks/rest/webhook"

    def command(self) -> list[str]:
        return [
            str(BIN / "rasa"), "run", "-m", str(self.model), "--endpoints", str(self.endpoints),
            "--credentials", str(self.credentials), "--port", str(self.port), "--interface", LOOPBACK, "--quiet",
        ]

    async def ready(self, client) -> bool:
        root = await client.get(self.base + "/")
        if root.status_code != 200:
            return False
        return (await client.get(self.base + "/webhooks/rest/")).status_code == 200

    def request(self, sender: int, text: str) -> dict:
        return {"url": self.url, "json": {"sender": phone(sender), "message": text}}

    @staticmethod
    def answered(response) -> bool:
        if response.status_code != 200:
            return False
        body = response.json()
        return isinstance(body, list) and any(m.get("text") for m in body)


class HavenServer(Server):
    """(b) `haven serve`, answering signed Twilio form posts on /webhooks/twilio."""

    label = "b"
    name = "Haven Twilio"

    def __init__(self, workdir: Path, model: Path) -> None:
        super().__init__(workdir, model)
        self.secret_key = secrets.token_urlsafe(24)[:32]
        self.auth_token = secrets.token_hex(16)
        self.url = self.base + "/webhooks/twilio"
        from twilio.request_validator import RequestValidator

        self.validator = RequestValidator(self.auth_token)

    def command(self) -> list[str]:
        return [str(BIN / "haven"), "serve", "--host", LOOPBACK, "--port", str(self.port)]

    def env(self) -> dict[str, str]:
        env = super().env()
        env.update(
            HAVEN_MODELS_DIR=str(self.model.parent),  # the benchmark's snapshot of the model
            HAVEN_ENV="production",
            HAVEN_SECRET_KEY=self.secret_key,
            TWILIO_AUTH_TOKEN=self.auth_token,
            HAVEN_PUBLIC_URL=self.base,
            HAVEN_DATA_DIR=str(self.workdir / "data"),
        )
        return env

    async def ready(self, client) -> bool:
        response = await client.get(self.base + "/healthz")
        if response.status_code != 200:
            return False
        served = response.json().get("model")
        if served != self.model.name:
            raise RuntimeError(f"Haven serves {served}, not the benchmark's model {self.model.name}")
        return True

    def request(self, sender: int, text: str) -> dict:
        params = {
            "MessageSid": "SM" + secrets.token_hex(16),
            "AccountSid": "AC" + "0" * 32,
            "From": phone(sender),
            "To": "+15005550006",
            "Body": text,
            "NumMedia": "0",
            "NumSegments": "1",
            "ApiVersion": "2010-04-01",
        }
        signature = self.validator.compute_signature(self.url, params)
        return {"url": self.url, "data": params, "headers": {"X-Twilio-Signature": signature}}

    @staticmethod
    def answered(response) -> bool:
        return response.status_code == 200 and "<Message>" in response.text


_RUNNING: list[Server] = []


def stop_all() -> None:
    for server in list(_RUNNING):
        try:
            server.stop()
        except Exception as error:  # noqa: BLE001 - keep stopping the others
            print(f"could not stop {server.name}: {error}", file=sys.stderr)


# ------------------------------------------------------------------------------------------------
# Load
class Driver:
    """Sends messages to one server over a shared keep-alive client (loopback only)."""

    def __init__(self, server: Server, client) -> None:
        self.server = server
        self.client = client
        self.cpu_started = 0.0
        self.background = background_snapshot()

    async def send(self, sender: int, text: str) -> Sample:
        request = self.server.request(sender, text)  # signing is the client's work: not timed
        started = time.perf_counter()
        try:
            response = await self.client.post(**request)
            latency = time.perf_counter() - started
            return Sample(latency, self.server.answered(response))
        except Exception:  # noqa: BLE001 - a failed request is counted, the run goes on
            return Sample(time.perf_counter() - started, False)

    async def sequential(self, messages: list[tuple[int, str]], seconds: float) -> list[Sample]:
        """One message at a time, each sent when the previous one is answered."""
        self.cpu_started, self.background = self.server.cpu(), background_snapshot()
        samples, deadline = [], time.monotonic() + seconds
        for sender, text in messages:
            if time.monotonic() > deadline:
                break
            samples.append(await self.send(sender, text))
        return samples

    async def closed_loop(
        self, workers: int, count: int, seconds: float, base: int, turns: int = TURNS, length: int | None = None, one_each: bool = False
    ) -> tuple[list[Sample], float]:
        """`workers` senders at once, each sending its next message when its previous one is
        answered, until `count` messages or `seconds`. Worker w has its own senders (conversations
        of `turns` messages), so no two requests in flight share a conversation. With `one_each`,
        message i is the single message of sender base + i (opening conversations)."""
        samples: list[Sample] = []
        counter = itertools.count()
        deadline = time.monotonic() + seconds
        stride = -(-count // turns)  # enough senders for one worker to send everything

        async def worker(w: int) -> None:
            for j in itertools.count():
                i = next(counter)
                if i >= count or time.monotonic() > deadline:
                    return
                if one_each:
                    sender, turn = base + i, 0
                else:
                    sender, turn = base + w * stride + j // turns, j % turns
                samples.append(await self.send(sender, conversation_text(sender, turn, length)))

        self.cpu_started, self.background = self.server.cpu(), background_snapshot()
        started = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(workers)))
        return samples, time.perf_counter() - started


def with_cpu(row: dict, driver: Driver) -> dict:
    """Add the server's CPU time per answered message since the phase began (robust to other
    load on the machine, unlike wall-clock latency)."""
    used = driver.server.cpu() - driver.cpu_started
    answered = row["count"] - row["errors"]
    row["cpu_ms_per_msg"] = used * 1000 / answered if answered else None
    row["other_cores"] = other_cores(driver.background)
    return row


class Tally:
    """Samples, wall time, server CPU and other processes' CPU, summed over a phase's rounds."""

    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self.elapsed = 0.0
        self.cpu = 0.0
        self.wall = 0.0
        self.other = 0.0

    async def run(self, driver: Driver, make_round) -> None:
        cpu, since = driver.server.cpu(), background_snapshot()
        samples, elapsed = await make_round()
        now = background_snapshot()
        self.cpu += driver.server.cpu() - cpu
        self.wall += now[0] - since[0]
        self.other += (now[1] - since[1]) - (now[2] - since[2])
        self.samples += samples
        self.elapsed += elapsed if elapsed is not None else now[0] - since[0]

    def summary(self, throughput: bool = False) -> dict:
        row = summarise(self.samples, self.elapsed if throughput else None)
        answered = row["count"] - row["errors"]
        row["cpu_ms_per_msg"] = self.cpu * 1000 / answered if answered else None
        row["other_cores"] = max(0.0, self.other / self.wall) if self.wall > 0 else None
        return row


def conversations(base: int, count: int, turns: int = TURNS, length: int | None = None) -> list[tuple[int, str]]:
    """`count` messages as conversations of `turns` messages from senders base, base+1, ..."""
    return [(base + i // turns, conversation_text(base + i // turns, i % turns, length)) for i in range(count)]


def new_client():
    import httpx

    return httpx.AsyncClient(timeout=120.0, limits=httpx.Limits(max_connections=100, max_keepalive_connections=100))


def snapshot_model(model: Path, directory: Path) -> Path:
    """Copy the model into the run's temp dir, so both servers load the very same bytes even if
    `models/` changes during the run; the copy keeps its name (Haven finds it by that name)."""
    import tarfile

    directory.mkdir(parents=True, exist_ok=True)
    target = directory / model.name
    for _ in range(30):
        before = model.stat()
        shutil.copyfile(model, target)
        after = model.stat()
        if (before.st_mtime, before.st_size) == (after.st_mtime, after.st_size):
            try:
                with tarfile.open(target) as archive:
                    archive.getmembers()
                return target
            except (tarfile.TarError, OSError, EOFError):
                pass
        time.sleep(2)  # being written by someone else: wait for it to settle
    raise RuntimeError(f"could not get a complete copy of {model}")


# ------------------------------------------------------------------------------------------------
# Training time
def time_training(workdir: Path, log, labels: tuple[str, ...] = ("b",)) -> dict:
    """A fresh training run into a temp models dir with an empty Rasa cache: (b) `haven train`
    and, if asked, (a) `rasa train` with the same domain, config and data (the same training:
    `haven train` calls rasa.api.train). Wall time including interpreter and library start-up."""
    from bot.paths import CONFIG_FILE, DOMAIN_FILE, INTENTS_DIR, RULES_FILE

    out = {}
    runs = {
        "a": [str(BIN / "rasa"), "train", "--domain", str(DOMAIN_FILE), "--config", str(CONFIG_FILE), "--data", str(INTENTS_DIR),
              str(RULES_FILE), "--out", "{models}", "--fixed-model-name", "bench", "--quiet"],
        "b": [str(BIN / "haven"), "train"],
    }
    for label, command in runs.items():
        if label not in labels:
            continue
        directory = workdir / f"train-{label}"
        models = directory / "models"
        models.mkdir(parents=True)
        env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", HAVEN_MODELS_DIR=str(models), RASA_CACHE_DIRECTORY=str(directory / "cache"))
        env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        command = [part.replace("{models}", str(models)) for part in command]
        log(f"timing a fresh training run ({label}): {Path(command[0]).name} {command[1]} into a temp dir ...")
        started = time.monotonic()
        with open(directory / "train.log", "wb") as output:
            proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            try:
                code = proc.wait(timeout=1800)
            except BaseException:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                raise
        seconds = time.monotonic() - started
        made = list(models.glob("*.tar.gz"))
        if code != 0 or not made:
            raise RuntimeError(f"training ({label}) failed with exit code {code}; see {directory / 'train.log'}")
        out[label] = seconds
        log(f"  ({label}) trained in {seconds:.1f} s")
    return out


# ------------------------------------------------------------------------------------------------
def machine() -> dict:
    import rasa

    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except StopIteration:
        pass
    load = os.getloadavg()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "rasa": rasa.__version__,
        "loadavg_at_start": [round(x, 2) for x in load],
    }


def count_languages() -> int:
    from bot import i18n

    return len(i18n.locales())


class Runner:
    def __init__(self, plan: Plan, quick: bool, train: bool, out_dir: Path, train_both: bool = False) -> None:
        self.plan = plan
        self.train_both = train_both
        self.quick = quick
        self.train = train
        self.out_dir = out_dir
        self.started = time.monotonic()
        self.deadline = self.started + plan.budget_minutes * 60
        self.results: dict = {"quick": quick, "plan": plan.__dict__, "a": {}, "b": {}, "notes": []}
        self.next_sender = 0

    def log(self, message: str) -> None:
        print(f"[{time.monotonic() - self.started:7.1f}s] {message}", flush=True)

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def capped(self, seconds: float) -> float:
        """A phase's time cap, never beyond the run's budget."""
        return min(seconds, max(1.0, self.remaining() - 30))

    async def start_pair(self, workdir: Path, model: Path, key: str) -> tuple[RasaServer, HavenServer]:
        """Start (a) then (b), one at a time so neither's start-up competes with the other's."""
        servers = (RasaServer(workdir / "a", model), HavenServer(workdir / "b", model))
        for server in servers:
            self.log(f"starting {server.name} on {server.base} ...")
            server.start()
            seconds = await server.wait_ready(self.plan.ready_seconds)
            self.results[server.label].setdefault(key, seconds)
            self.results[server.label].setdefault("cold_start_all_s", []).append(seconds)
            self.results[server.label].setdefault("rss_ready_mb", server.rss())
            self.log(f"  {server.name} ready in {seconds:.1f} s, RSS {server.rss():.0f} MB")
        return servers

    def alloc(self, count: int) -> int:
        """A block of fresh sender numbers (the same for (a) and (b): each has its own store)."""
        base = self.next_sender
        self.next_sender += count
        return base

    async def run(self) -> dict:
        from bot.model import train as ensure_model

        plan = self.plan
        self.results["machine"] = machine()
        self.results["languages"] = count_languages()
        self.log(f"machine: {self.results['machine']}")
        model = ensure_model()
        self.results["model"] = model.name
        self.results["model_mb"] = round(model.stat().st_size / 1e6, 1)
        self.log(f"model: {model}")
        work = Path(tempfile.mkdtemp(prefix="haven-bench-"))
        try:
            model = snapshot_model(model, work / "models")
            if self.train:
                self.results["training_s"] = time_training(work, self.log, ("a", "b") if self.train_both else ("b",))
                if not self.train_both:
                    self.results["notes"].append(
                        "Training was timed once, with `haven train` (it calls `rasa.api.train` on the same domain, config and "
                        "data as `rasa train` would, so (a) trains the same model the same way); `--train-both` also times `rasa train`."
                    )
            else:
                self.results["notes"].append("Training time not measured in this run (--quick or --no-train).")
            a, b = await self.start_pair(work / "s1", model, "cold_start_s")
            await self.session_one(a, b)
            for server in (a, b):
                server.stop()
            a, b = await self.start_pair(work / "s2", model, "cold_start_2_s")
            await self.session_two(a, b)
            for server in (a, b):
                server.stop()
        finally:
            stop_all()
            shutil.rmtree(work, ignore_errors=True)
        self.results["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
        self.results["elapsed_s"] = time.monotonic() - self.started
        return self.results

    async def rounds(self, drivers: dict[str, Driver], run_round, rounds: int) -> dict[str, Tally]:
        """Run a phase in `rounds` rounds, (a) then (b), then (b) then (a), and so on (ABBA), so
        both see the same drift in the machine's other load; `run_round(driver, r)` returns
        (samples, elapsed or None)."""
        tallies = {label: Tally() for label in drivers}
        for r in range(rounds):
            order = list(drivers) if r % 2 == 0 else list(drivers)[::-1]
            for label in order:
                await tallies[label].run(drivers[label], lambda d=drivers[label]: run_round(d, r))
        return tallies

    async def session_one(self, a: Server, b: Server) -> None:
        """Latency, throughput, message length, a long conversation, memory after load."""
        plan, results = self.plan, self.results
        rounds = plan.rounds
        self.next_sender = 0
        async with new_client() as client:
            drivers = {"a": Driver(a, client), "b": Driver(b, client)}
            messages = conversations(self.alloc(plan.warmup), plan.warmup)
            for label, d in drivers.items():
                await d.sequential(messages, self.capped(120))
                results[label]["rss_warm_mb"] = d.server.rss()
            self.log("warm-up done")

            messages = conversations(self.alloc(plan.sequential), plan.sequential)
            chunk = -(-len(messages) // rounds)
            cap = self.capped(300) / rounds / 2

            async def sequential_round(d: Driver, r: int):
                return await d.sequential(messages[r * chunk:(r + 1) * chunk], cap), None

            for label, tally in (await self.rounds(drivers, sequential_round, rounds)).items():
                results[label]["sequential"] = tally.summary()
                self.log(f"sequential {label}: {fmt_summary(results[label]['sequential'])}")

            for workers in (10, 50):
                per_round = -(-plan.concurrent_max // rounds)
                bases = [self.alloc(workers * -(-per_round // TURNS)) for _ in range(rounds)]
                seconds = self.capped(plan.concurrent_seconds * 2) / rounds / 2

                async def concurrent_round(d: Driver, r: int, workers=workers, bases=bases, seconds=seconds):
                    return await d.closed_loop(workers, per_round, seconds, bases[r])

                for label, tally in (await self.rounds(drivers, concurrent_round, rounds)).items():
                    results[label][f"concurrent_{workers}"] = tally.summary(throughput=True)
                    self.log(f"{workers} concurrent {label}: {fmt_summary(results[label][f'concurrent_{workers}'])}")

            for length in plan.lengths:
                messages = conversations(self.alloc(plan.length_count), plan.length_count, length=length)
                chunk = -(-len(messages) // rounds)
                cap = self.capped(240) / rounds / 2

                async def length_round(d: Driver, r: int, messages=messages, chunk=chunk, cap=cap):
                    return await d.sequential(messages[r * chunk:(r + 1) * chunk], cap), None

                for label, tally in (await self.rounds(drivers, length_round, rounds)).items():
                    results[label].setdefault("by_length", {})[str(length)] = tally.summary()
                    self.log(f"length {length} {label}: {fmt_summary(results[label]['by_length'][str(length)])}")

            messages = conversations(self.alloc(1), plan.long_turns, turns=plan.long_turns)
            for label, d in drivers.items():
                samples = await d.sequential(messages, self.capped(300))
                head, tail = samples[:10], samples[-10:] if len(samples) >= 20 else []
                row = {"turns": len(samples), "first10": summarise(head), "last10": summarise(tail), "errors": sum(not x.ok for x in samples)}
                results[label]["long_conversation"] = row
                self.log(f"long conversation {label}: turns 1-10 {fmt_summary(row['first10'])}; last 10 {fmt_summary(row['last10'])}")

            for label, d in drivers.items():
                results[label]["rss_after_load_mb"] = d.server.rss()
            results["session1_conversations"] = self.next_sender

    async def session_two(self, a: Server, b: Server) -> None:
        """Fresh servers and stores: latency and memory as the number of conversations grows.

        At each level: open conversations up to the level (one short message per new sender, 50
        at a time; (a) and (b) filled together, as set-up, not measured), then measure, one at a
        time, the second message of `growth_measure` conversations spread evenly over those that
        have had exactly one. Below that many (the 1-conversation level), the missing conversations
        are opened just before their measured message, so every measured message is a second
        message and no conversation grows long (a long conversation is slower: measured apart)."""
        plan, results = self.plan, self.results
        async with new_client() as client:
            drivers = {"a": Driver(a, client), "b": Driver(b, client)}
            opened = {"a": 0, "b": 0}
            answered_twice: dict[str, set[int]] = {"a": set(), "b": set()}

            async def fill(label: str, level: int, cap: float) -> None:
                if opened[label] >= level:
                    return
                samples, elapsed = await drivers[label].closed_loop(50, level - opened[label], cap, opened[label], one_each=True)
                opened[label] += len(samples)
                self.log(f"  {label}: {opened[label]:,} conversations (+{len(samples)} in {elapsed:.0f} s, {len(samples) / max(elapsed, 1e-9):.1f}/s)")

            for level in plan.growth_levels:
                cap = self.capped(plan.populate_seconds)
                await asyncio.gather(fill("a", level, cap), fill("b", level, cap))
                for label, d in drivers.items():
                    before = opened[label]
                    once = [x for x in range(opened[label]) if x not in answered_twice[label]]
                    n = plan.growth_measure
                    picks = [once[int(k * len(once) / n)] for k in range(n)] if len(once) >= n else once + list(range(opened[label], opened[label] + n - len(once)))
                    samples, deadline = [], time.monotonic() + self.capped(300)
                    d.cpu_started, d.background = d.server.cpu(), background_snapshot()
                    for sender in picks:
                        if time.monotonic() > deadline:
                            break
                        if sender >= opened[label]:  # open it now (not measured)
                            await d.send(sender, conversation_text(sender, 0))
                            opened[label] = sender + 1
                        samples.append(await d.send(sender, conversation_text(sender, 1)))
                        answered_twice[label].add(sender)
                    row = with_cpu(summarise(samples), d)  # CPU includes the few unmeasured opening messages at level 1
                    row.update(conversations=before, conversations_after=opened[label], target=level, rss_mb=d.server.rss())
                    results[label].setdefault("growth", []).append(row)
                    self.log(f"growth {label} @ {before:,} conversations: {fmt_summary(row)}, RSS {row['rss_mb']:.0f} MB")


def fmt_summary(row: dict) -> str:
    parts = [f"n={row['count']}"]
    for key in ("p50_ms", "p95_ms", "p99_ms"):
        if row.get(key) is not None:
            parts.append(f"{key[:-3]}={row[key]:.1f}ms")
    if row.get("throughput_rps") is not None:
        parts.append(f"{row['throughput_rps']:.1f} msg/s")
    if row.get("cpu_ms_per_msg") is not None:
        parts.append(f"cpu={row['cpu_ms_per_msg']:.1f}ms/msg")
    if row.get("other_cores") is not None:
        parts.append(f"others={row['other_cores']:.2f} cores")
    if row.get("errors"):
        parts.append(f"errors={row['errors']}")
    return " ".join(parts)


# ------------------------------------------------------------------------------------------------
# Report
def ratio(b, a) -> float | None:
    return b / a if a and b is not None else None


def figures(results: dict) -> list[tuple[str, float | None, float | None, str, bool]]:
    """(figure, a, b, unit, lower_is_better) rows for the main table."""
    a, b = results["a"], results["b"]
    rows = []
    for key, title in (("p50_ms", "p50"), ("p95_ms", "p95"), ("p99_ms", "p99")):
        rows.append((f"sequential {title} latency", a["sequential"][key], b["sequential"][key], "ms", True))
    for workers in (10, 50):
        ca, cb = a[f"concurrent_{workers}"], b[f"concurrent_{workers}"]
        rows.append((f"{workers} concurrent: throughput", ca["throughput_rps"], cb["throughput_rps"], "msg/s", False))
        rows.append((f"{workers} concurrent: p50 latency", ca["p50_ms"], cb["p50_ms"], "ms", True))
        rows.append((f"{workers} concurrent: p95 latency", ca["p95_ms"], cb["p95_ms"], "ms", True))
    rows.append(("server CPU per message, sequential", a["sequential"].get("cpu_ms_per_msg"), b["sequential"].get("cpu_ms_per_msg"), "ms", True))
    rows.append(("server CPU per message, 10 concurrent", a["concurrent_10"].get("cpu_ms_per_msg"), b["concurrent_10"].get("cpu_ms_per_msg"), "ms", True))
    rows.append(("cold start to ready", a["cold_start_s"], b["cold_start_s"], "s", True))
    if a.get("cold_start_2_s") is not None:
        rows.append(("cold start to ready (2nd start)", a["cold_start_2_s"], b["cold_start_2_s"], "s", True))
    rows.append(("resident memory, ready", a.get("rss_ready_mb"), b.get("rss_ready_mb"), "MB", True))
    rows.append(("resident memory after load", a["rss_after_load_mb"], b["rss_after_load_mb"], "MB", True))
    if results.get("training_s"):
        t = results["training_s"]
        rows.append(("model training time, fresh (`rasa train` / `haven train`)", t.get("a"), t.get("b"), "s", True))
    return rows


def fmt(value, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if unit == "msg/s":
        return f"{value:.1f}"
    if unit == "MB":
        return f"{value:.0f}"
    if unit == "r":
        return f"{value:.2f}"
    return f"{value:.1f}"


def targets(results: dict) -> list[tuple[str, bool | None, str]]:
    a, b = results["a"], results["b"]
    out = []

    def within(label: str, va, vb, limit: float) -> None:
        r = ratio(vb, va)
        out.append((label, None if r is None else r <= limit, f"(b)/(a) = {r:.2f} (limit {limit})" if r is not None else "not measured"))

    within("sequential p50 of (b) <= 1.2 x (a)", a["sequential"]["p50_ms"], b["sequential"]["p50_ms"], 1.2)
    within("sequential p95 of (b) <= 1.2 x (a)", a["sequential"]["p95_ms"], b["sequential"]["p95_ms"], 1.2)
    within("10 concurrent p50 of (b) <= 1.2 x (a)", a["concurrent_10"]["p50_ms"], b["concurrent_10"]["p50_ms"], 1.2)
    within("10 concurrent p95 of (b) <= 1.2 x (a)", a["concurrent_10"]["p95_ms"], b["concurrent_10"]["p95_ms"], 1.2)
    ta, tb = a["concurrent_10"]["throughput_rps"], b["concurrent_10"]["throughput_rps"]
    out.append(("10 concurrent throughput of (b) >= (a)", None if not ta or tb is None else tb >= ta,
                 f"{tb:.1f} vs {ta:.1f} msg/s (ratio {tb / ta:.2f})" if ta and tb is not None else "not measured"))
    cold = b["cold_start_s"]
    out.append(("cold start of (b) < 30 s", cold < 30, f"{cold:.1f} s (second start {b.get('cold_start_2_s') or float('nan'):.1f} s)"))
    rss = max(x for x in (b.get("rss_after_load_mb"), *(g.get("rss_mb") or 0 for g in b.get("growth", []))) if x is not None)
    out.append((f"resident memory of (b) < 1.5 GB with {results['languages']} languages", rss < 1536, f"peak measured {rss:.0f} MB"))
    growth = b.get("growth") or []
    if len(growth) >= 2 and growth[0]["p50_ms"] and growth[-1]["p50_ms"]:
        g = growth[-1]["p50_ms"] / growth[0]["p50_ms"] - 1
        reached = growth[-1]["conversations"]
        ok = g <= 0.20 and reached >= growth[-1]["target"]
        note = f"p50 {growth[0]['p50_ms']:.1f} ms at {growth[0]['conversations']} -> {growth[-1]['p50_ms']:.1f} ms at {reached} conversations ({g:+.0%})"
        if reached < growth[-1]["target"]:
            note += f"; only {reached} of {growth[-1]['target']} conversations created within the time cap"
        out.append((f"per-message latency growth from 1 to {growth[-1]['target']:,} conversations <= 20% (b)", ok, note))
    return out


def write_markdown(results: dict, path: Path, png_name: str) -> None:
    m = results["machine"]
    a, b = results["a"], results["b"]
    lines = [
        "# Haven benchmark results",
        "",
        "(a) Rasa's own server (`rasa run`, REST channel, `/webhooks/rest/webhook`) against (b) Haven "
        "(`haven serve`, signed Twilio form posts on `/webhooks/twilio`, end to end), the same model file, "
        "each with a fresh SQLite tracker store. Method: `bench/README.md`. Produced by `bench/run.py`"
        + (" **--quick (smoke run: small counts, rough figures)**" if results["quick"] else "") + ".",
        "",
        f"- Date: {m['date']}; run took {results['elapsed_s'] / 60:.1f} min",
        f"- Machine: {m['nproc']} CPUs ({m['cpu'] or 'unknown CPU'}), {m['memory_gb']} GB RAM, {m['os']}; load average at start {m['loadavg_at_start']}",
        f"- Python {m['python']}, Rasa {m['rasa']}; model `{results['model']}` ({results['model_mb']} MB), {results['languages']} languages",
    ]
    others = [row["other_cores"] for label in ("a", "b") for row in walk(results[label]) if row.get("other_cores") is not None]
    if others:
        lines.append(
            f"- Other processes on the machine (not this script or its servers) used on average {statistics.fmean(others):.2f} "
            f"of the {m['nproc']} CPUs during the measured phases (at most {max(others):.2f}); load average at end {m.get('loadavg_at_end')}"
        )
    lines += [
        "",
        "## Figures",
        "",
        "| figure | (a) Rasa REST | (b) Haven Twilio | (b)/(a) |",
        "|---|---:|---:|---:|",
    ]
    for title, va, vb, unit, _ in figures(results):
        r = ratio(vb, va)
        lines.append(f"| {title} ({unit}) | {fmt(va, unit)} | {fmt(vb, unit)} | {f'{r:.2f}' if r is not None else 'n/a'} |")
    errors = {label: sum(v.get("errors", 0) for v in walk(results[label])) for label in ("a", "b")}
    lines += ["", f"Failed requests: (a) {errors['a']}, (b) {errors['b']}.", ""]

    lines += ["## Message length (sequential)", "", "| characters | (a) p50 ms | (b) p50 ms | (b)/(a) p50 | (a) p95 ms | (b) p95 ms | (b)/(a) p95 |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for length, ra in a.get("by_length", {}).items():
        rb = b["by_length"][length]
        lines.append(f"| {length} | {fmt(ra['p50_ms'])} | {fmt(rb['p50_ms'])} | {fmt(ratio(rb['p50_ms'], ra['p50_ms']), 'r')} | {fmt(ra['p95_ms'])} | {fmt(rb['p95_ms'])} | {fmt(ratio(rb['p95_ms'], ra['p95_ms']), 'r')} |")
    lines += ["", "## Active conversations (fresh servers; sequential p50 over messages spread across the existing senders)", "",
              "| conversations (a / b) | (a) p50 ms | (b) p50 ms | (b)/(a) | (a) p95 ms | (b) p95 ms | (a) RSS MB | (b) RSS MB | (b)/(a) RSS |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for ga, gb in zip(a.get("growth", []), b.get("growth", [])):
        lines.append(
            f"| {ga['conversations']:,} / {gb['conversations']:,} | {fmt(ga['p50_ms'])} | {fmt(gb['p50_ms'])} | {fmt(ratio(gb['p50_ms'], ga['p50_ms']), 'r')} | "
            f"{fmt(ga['p95_ms'])} | {fmt(gb['p95_ms'])} | {fmt(ga['rss_mb'], 'MB')} | {fmt(gb['rss_mb'], 'MB')} | {fmt(ratio(gb['rss_mb'], ga['rss_mb']), 'r')} |"
        )
    la, lb = a.get("long_conversation"), b.get("long_conversation")
    if la and lb:
        lines += ["", f"## One long conversation ({la['turns']} messages from one sender, sequential)", "",
                  "| messages | (a) p50 ms | (b) p50 ms | (b)/(a) |", "|---|---:|---:|---:|"]
        for key, title in (("first10", "first 10"), ("last10", "last 10")):
            lines.append(f"| {title} | {fmt(la[key]['p50_ms'])} | {fmt(lb[key]['p50_ms'])} | {fmt(ratio(lb[key]['p50_ms'], la[key]['p50_ms']), 'r')} |")
    lines += ["", "## Targets", ""]
    for label, ok, note in targets(results):
        mark = "met" if ok else ("NOT met" if ok is False else "not measured")
        lines.append(f"- **{mark}**: {label}: {note}")
    if results.get("analysis"):
        lines += ["", "## Why", "", results["analysis"].strip()]
    if results["notes"]:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in results["notes"]]
    lines += ["", f"![latency, throughput, growth]({png_name})", ""]
    path.write_text("\n".join(lines))


def walk(node):
    if isinstance(node, dict):
        if "errors" in node:
            yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def write_plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    a, b = results["a"], results["b"]
    colours = {"a": "#777777", "b": "#1f6fb4"}
    names = {"a": "(a) Rasa REST", "b": "(b) Haven Twilio"}
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))

    ax = axes[0][0]
    groups = ["seq p50", "seq p95", "seq p99", "10c p50", "10c p95", "50c p50", "50c p95"]
    keys = [("sequential", "p50_ms"), ("sequential", "p95_ms"), ("sequential", "p99_ms"), ("concurrent_10", "p50_ms"),
            ("concurrent_10", "p95_ms"), ("concurrent_50", "p50_ms"), ("concurrent_50", "p95_ms")]
    x = range(len(groups))
    for offset, label in ((-0.2, "a"), (0.2, "b")):
        ax.bar([i + offset for i in x], [results[label][k1][k2] or 0 for k1, k2 in keys], width=0.4, label=names[label], color=colours[label])
    ax.set_xticks(list(x), groups)
    ax.set_ylabel("latency (ms)")
    ax.set_title("Latency (sequential, 10 and 50 concurrent senders)")
    ax.legend()

    ax = axes[0][1]
    groups = ["10 concurrent", "50 concurrent"]
    for offset, label in ((-0.2, "a"), (0.2, "b")):
        ax.bar([i + offset for i in range(2)], [results[label][f"concurrent_{w}"]["throughput_rps"] or 0 for w in (10, 50)], width=0.4, label=names[label], color=colours[label])
    ax.set_xticks([0, 1], groups)
    ax.set_ylabel("messages / s")
    ax.set_title("Throughput")
    ax.legend()

    ax = axes[1][0]
    ax2 = ax.twinx()
    for label in ("a", "b"):
        growth = results[label].get("growth", [])
        xs = [max(1, g["conversations"]) for g in growth]
        ax.plot(xs, [g["p50_ms"] for g in growth], marker="o", color=colours[label], label=f"{names[label]} p50")
        ax2.plot(xs, [g["rss_mb"] for g in growth], marker="s", linestyle="--", color=colours[label], alpha=0.6, label=f"{names[label]} RSS")
    ax.set_xscale("log")
    ax.set_xlabel("active conversations")
    ax.set_ylabel("p50 latency (ms), solid")
    ax2.set_ylabel("resident memory (MB), dashed")
    ax.set_title("Cost as conversations grow")
    ax.legend(loc="upper left", fontsize=8)
    ax2.legend(loc="lower right", fontsize=8)

    ax = axes[1][1]
    for label in ("a", "b"):
        rows = results[label].get("by_length", {})
        xs = [int(k) for k in rows]
        ax.plot(xs, [r["p50_ms"] for r in rows.values()], marker="o", color=colours[label], label=f"{names[label]} p50")
        ax.plot(xs, [r["p95_ms"] for r in rows.values()], marker="^", linestyle=":", color=colours[label], label=f"{names[label]} p95")
    ax.set_xscale("log")
    ax.set_xlabel("message length (characters)")
    ax.set_ylabel("latency (ms)")
    ax.set_title("Cost by message length (sequential)")
    ax.legend(fontsize=8)

    fig.suptitle(f"Haven benchmark, {results['machine']['date']}, {results['machine']['nproc']} CPUs" + (" (quick)" if results["quick"] else ""))
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def print_table(results: dict) -> None:
    rows = figures(results)
    width = max(len(r[0]) + len(r[3]) + 3 for r in rows)
    print()
    print(f"{'figure':<{width}} {'(a) Rasa':>10} {'(b) Haven':>10} {'(b)/(a)':>8}")
    for title, va, vb, unit, _ in rows:
        r = ratio(vb, va)
        print(f"{title + f' ({unit})':<{width}} {fmt(va, unit):>10} {fmt(vb, unit):>10} {(f'{r:.2f}' if r is not None else 'n/a'):>8}")
    print()
    for length, ra in results["a"].get("by_length", {}).items():
        rb = results["b"]["by_length"][length]
        print(f"length {length:>5} chars: p50 (a) {fmt(ra['p50_ms'])} ms, (b) {fmt(rb['p50_ms'])} ms, ratio {fmt(ratio(rb['p50_ms'], ra['p50_ms']))}")
    for ga, gb in zip(results["a"].get("growth", []), results["b"].get("growth", [])):
        print(f"{gb['conversations']:>6} conversations: p50 (a) {fmt(ga['p50_ms'])} ms, (b) {fmt(gb['p50_ms'])} ms; RSS (a) {fmt(ga['rss_mb'], 'MB')} MB, (b) {fmt(gb['rss_mb'], 'MB')} MB")
    la, lb = results["a"].get("long_conversation"), results["b"].get("long_conversation")
    if la and lb:
        for key in ("first10", "last10"):
            print(f"long conversation ({la['turns']} messages), {key}: p50 (a) {fmt(la[key]['p50_ms'])} ms, (b) {fmt(lb[key]['p50_ms'])} ms")
    print()
    for label, ok, note in targets(results):
        print(f"[{'met' if ok else ('NOT met' if ok is False else '  ?')}] {label}: {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts, under 3 minutes (smoke run; figures are rough)")
    train = parser.add_mutually_exclusive_group()
    train.add_argument("--train", dest="train", action="store_true", default=None, help="time a fresh training run of each kind (default on for the full run)")
    train.add_argument("--no-train", dest="train", action="store_false", help="do not time training")
    parser.add_argument("--train-both", action="store_true", help="also time `rasa train` for (a) (another 2-5 minutes)")
    parser.add_argument("--out", type=Path, default=None, help="where to write results.{md,png,json} (default bench/, or bench/quick/ with --quick)")
    parser.add_argument("--analysis", type=Path, default=None, help="a Markdown file whose text goes into results.md under 'Why'")
    parser.add_argument("--report-only", type=Path, default=None, metavar="RESULTS_JSON", help="rewrite results.md/.png from a results.json, running nothing")
    args = parser.parse_args(argv)
    if args.report_only:
        results = json.loads(args.report_only.read_text())
        out_dir = args.out or args.report_only.parent
        if args.analysis and args.analysis.exists():
            results["analysis"] = args.analysis.read_text()
        write_markdown(results, out_dir / "results.md", "results.png")
        write_plot(results, out_dir / "results.png")
        print_table(results)
        return 0

    import warnings

    warnings.filterwarnings("ignore")  # matplotlib and pyparsing deprecation noise
    plan = QUICK if args.quick else Plan()
    do_train = (not args.quick) if args.train is None else args.train
    out_dir = args.out or (Path(__file__).parent / ("quick" if args.quick else ""))
    out_dir.mkdir(parents=True, exist_ok=True)

    def interrupted(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    runner = Runner(plan, args.quick, do_train or args.train_both, out_dir, train_both=args.train_both)
    try:
        results = asyncio.run(runner.run())
    except KeyboardInterrupt:
        stop_all()
        print("interrupted: servers stopped, no results written", file=sys.stderr)
        return 130
    except Exception:
        stop_all()
        raise
    finally:
        stop_all()
    if args.analysis and args.analysis.exists():
        results["analysis"] = args.analysis.read_text()
    (out_dir / "results.json").write_text(json.dumps(results, indent=2, default=str))
    write_markdown(results, out_dir / "results.md", "results.png")
    write_plot(results, out_dir / "results.png")
    print_table(results)
    print(f"\nwrote {out_dir / 'results.md'}, {out_dir / 'results.png'}, {out_dir / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
