"""The clinic benchmark honours its options and counts every failure (issue 20, finding 13)."""

from __future__ import annotations

import http.client
import socket
import threading
from typing import Any

import pytest

from benchmarks import __main__ as runner
from benchmarks import bench_clinic


def test_options_after_the_module_name_reach_it() -> None:
    assert runner.split(["clinic", "--help"]) == (["clinic"], ["--help"])
    assert runner.split(["clinic", "--duration", "30"]) == (["clinic"], ["--duration", "30"])
    assert runner.split(["clinic", "--", "--duration", "30"]) == (["clinic"], ["--duration", "30"])
    assert runner.split(["clinic", "cli"]) == (["clinic", "cli"], None)
    assert bench_clinic.parse(["--duration", "30"]).duration == 30.0


def test_help_prints_and_exits_without_running(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        runner.main(["clinic", "--help"])
    assert stop.value.code == 0
    assert "--duration" in capsys.readouterr().out


def test_an_unknown_benchmark_is_refused() -> None:
    with pytest.raises(SystemExit, match="no benchmark named bench_nosuch"):
        runner.main(["nosuch"])


def _server_dropping_each_connection(seen: list[bytes]) -> tuple[socket.socket, int]:
    """A loopback server that reads one request per connection and closes it unanswered."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                data = conn.recv(65536)
                if data:
                    seen.append(data)

    threading.Thread(target=serve, daemon=True).start()
    return listener, int(listener.getsockname()[1])


def test_a_dropped_connection_is_an_error_and_the_post_is_sent_once() -> None:
    seen: list[bytes] = []
    listener, port = _server_dropping_each_connection(seen)
    try:
        session = bench_clinic.Session(port)
        with pytest.raises((OSError, http.client.HTTPException)):
            session.request("POST", "/family/1/log/", "action=cluster&spasms=3")
        results = bench_clinic.Results()
        ok = bench_clinic._one(
            session, results, "family tap (write)", "FORM", "/family/1/log/", {"spasms": 4}, (302,)
        )
    finally:
        listener.close()
    assert [d.startswith(b"POST ") for d in seen] == [True, True]  # one each, never re-sent
    assert ok is False
    assert results.errors["family tap (write)"] == 1


def test_a_user_thread_that_dies_is_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any) -> list[Any]:
        raise KeyError("keto")

    monkeypatch.setattr(bench_clinic, "_steps", broken)
    monkeypatch.setattr(bench_clinic, "THINK_S", (0.0, 0.0))
    results = bench_clinic.Results()
    start = threading.Barrier(1)
    bench_clinic._user("dietitian", 0, None, {}, float("inf"), results, start)  # type: ignore[arg-type]
    assert results.dead == {"dietitian": 1}
    assert results.errors["user died"] == 1
    rows = {r["page"]: r for r in bench_clinic._table(results)}
    assert rows["whole mix"]["errors"] == 1


def test_a_family_never_logs_the_same_count_twice_in_a_minute() -> None:
    taps = bench_clinic.Taps()
    # 150 taps in 75 s (every 0.5 s), crossing a minute boundary
    made = [(t, taps.next(t)) for t in (6_000_000.0 + 0.5 * k for k in range(150))]

    def minutes(t: float) -> set[int]:  # the minutes the server may stamp a tap sent at t
        return set(range(int(t // 60), int((t + 10) // 60) + 1))

    for t, count in made:
        same = [u for u, c in made if c == count and u != t]
        assert all(not (minutes(u) & minutes(t)) for u in same), (t, count)
    assert min(c for _, c in made) == 2
    assert max(c for _, c in made) <= 2 + 140  # small counts: the day's total stays plausible
