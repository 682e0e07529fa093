"""The assistant bench's parts that do not measure: schedule, lateness, cells, table, the
stock model's cache key, and what the load generator sends (to a small local server)."""
from __future__ import annotations

import asyncio
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from bench import load, report
from bench.assistant import CLOSED_CONVERSATIONS, QUICK, Figures, rows
from bench.load import Outcome, Target
from bench.stock import MODEL_NAME, RECORD_NAME, cached, fingerprint, stock_model_in
from bot.errors import BenchError
from bot.runtime.launcher import free_port
from bot.settings import PROJECT_ROOT


def test_open_loop_schedule_spreads_the_starts_over_one_interval() -> None:
    schedule = load.open_loop_schedule(50, 3.0, 60.0)
    assert len(schedule) == 50
    assert all(len(times) == 20 for times in schedule)  # one message every 3 s for 60 s
    assert schedule[0][:2] == [0.0, 3.0]
    assert schedule[1][0] == pytest.approx(0.06)
    assert schedule[-1][-1] == pytest.approx(2.94 + 57) and schedule[-1][-1] < 60
    starts = sorted(t for times in schedule for t in times if t < 3)
    assert len(starts) == 50  # 50 / 3 s = 16.7 messages a second, evenly


def test_open_loop_schedule_stops_before_the_duration_and_refuses_no_interval() -> None:
    assert load.open_loop_schedule(2, 3.0, 4.0) == [[0.0, 3.0], [1.5]]
    with pytest.raises(ValueError, match="positive"):
        load.open_loop_schedule(2, 0.0, 4.0)


def test_a_reply_is_late_once_the_next_message_was_due() -> None:
    assert not load.is_late(3000.0, 3.0)
    assert load.is_late(3000.5, 3.0)


def test_cells() -> None:
    outcome = Outcome(latencies_ms=[float(v) for v in range(1, 21)], errors=2, wall_s=4.0, late=3)
    assert outcome.rate == 5.0
    assert report.percentiles_cell(outcome) == "10 / 19 (2 failed)"  # p50 10.5 -> "10"
    assert report.rate_cell(outcome) == "5.0 (2 failed)"
    assert report.late_cell(outcome) == "3 / 2 of 22"
    assert report.percentiles_cell(Outcome()) == "-"
    assert report.share_cell(6.0, 10.0) == "60 %"
    assert report.share_cell(6.0, 0.0) == "-"


def test_the_slices_of_a_paired_measure_add_up() -> None:
    from bench.assistant import add_to

    total = Outcome()
    add_to(total, Outcome([1.0, 2.0], errors=1, wall_s=1.0))
    add_to(total, Outcome([3.0] * 4, wall_s=2.0))
    assert (len(total.latencies_ms), total.errors, total.wall_s, total.rate) == (6, 1, 3.0, 2.0)


def test_table_pads_columns_and_blanks_missing_cells() -> None:
    text = report.table(["measure", "ours"], [["RSS (MB)", "512"], ["training"]])
    assert text.splitlines() == [
        "| measure  | ours |",
        "|----------|------|",
        "| RSS (MB) | 512  |",
        "| training |      |",
    ]


def _figures(rate: float) -> Figures:
    """Closed loops of 1, 10, 50 at rate / 2, rate, rate / 4; parse-only at twice the rate."""
    outcome = Outcome(latencies_ms=[100.0, 200.0], wall_s=2 / rate)
    closed = dict(zip(CLOSED_CONVERSATIONS, (Outcome([1.0] * 2, wall_s=4 / rate), outcome,
                                             Outcome([1.0], wall_s=4 / rate)), strict=True))
    return Figures("56 (cold)", 12.0, 650.0, parse=Outcome([10.0] * 10, wall_s=10 / (2 * rate)),
                   closed=closed, open=outcome, paired_parse=Outcome([1.0] * 20, wall_s=2.0),
                   paired_full=Outcome([1.0] * 13, wall_s=2.0))


def test_rows_have_one_cell_per_assistant_and_our_goals() -> None:
    table = rows([_figures(10.0), _figures(5.0)], QUICK)
    by_label = {row[0]: row[1:] for row in table}
    assert all(len(row) == 4 for row in table)
    assert by_label["start to first answer (s)"] == ["12.0", "12.0", "<= 10"]
    assert by_label["closed loop, 1 conversation (msg/s)"] == ["5.0", "2.5", ""]
    assert by_label["closed loop, 10 conversations (msg/s)"] == ["10.0", "5.0", ""]
    assert by_label["closed loop, 50 conversations: p50 / p95 (ms)"] == ["1 / 1", "1 / 1", ""]
    # the best closed loop (10 conversations here) against parse-only
    assert by_label["full messages (best closed loop) / parse-only rate"] == ["50 %", "50 %", ">= 60 %"]
    paired = "full / parse-only, 10 clients each, 4 alternating 1 s slices (msg/s)"
    assert by_label[paired] == ["6.5 / 10.0 = 65 %", "6.5 / 10.0 = 65 %", ">= 60 %"]
    open_rows = [label for label in by_label if label.startswith("open loop")]
    assert open_rows[0] == "open loop, 50 conv. x 1 msg / 3 s for 9 s: p50 / p95 (ms)"
    assert by_label[open_rows[0]][-1] == "p95 <= 150"


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    for name in ("domain", "nlu_data", "dialogue"):
        shutil.copytree(PROJECT_ROOT / name, tmp_path / name)
    return tmp_path


def test_stock_fingerprint_follows_the_inputs_not_their_folder(project_copy: Path, tmp_path: Path) -> None:
    here = fingerprint(rasa_version="3.6.21")
    assert fingerprint(project_copy, rasa_version="3.6.21") == here
    assert fingerprint(rasa_version="3.6.20") != here
    other_config = tmp_path / "stock.yml"
    other_config.write_text((PROJECT_ROOT / "bench" / "stock_config.yml").read_text() + "\n# changed\n")
    assert fingerprint(config=other_config, rasa_version="3.6.21") != here
    rules = project_copy / "dialogue" / "rules.yml"
    rules.write_text(rules.read_text() + "\n")
    assert fingerprint(project_copy, rasa_version="3.6.21") != here


def test_a_cached_model_needs_its_training_record(tmp_path: Path) -> None:
    (tmp_path / MODEL_NAME).write_bytes(b"model")
    assert cached(tmp_path) is None  # an interrupted cache is not used
    (tmp_path / RECORD_NAME).write_text(json.dumps({"training_s": 812.5}))
    model = cached(tmp_path)
    assert model is not None and model.training_s == 812.5 and model.path == tmp_path / MODEL_NAME
    assert not model.trained_now


@pytest.fixture
def server() -> Iterator[tuple[str, list[dict[str, object]]]]:
    """A local HTTP server that records the JSON bodies; /fail answers 500."""
    received: list[dict[str, object]] = []

    async def record(request: web.Request) -> web.Response:
        received.append({"path": request.path, **await request.json()})
        return web.json_response([], status=500 if request.path == "/fail" else 200)

    app = web.Application()
    app.router.add_post("/{name}", record)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    port = free_port()
    loop.run_until_complete(runner.setup())
    loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", received
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)
    loop.run_until_complete(runner.cleanup())
    loop.close()


def test_a_visit_asks_the_messages_in_turn_then_a_new_visitor_comes(server: tuple[str, list]) -> None:
    url, received = server
    messages = [("bonjour", "fr"), ("hello", "en")]
    outcome = load.closed_loop([load.conversation(Target(f"{url}/webhook", f"{url}/parse"), messages)], 0.3)
    assert len(outcome.latencies_ms) == len(received) >= 3 and outcome.errors == 0
    assert [r["message"] for r in received[:3]] == ["bonjour", "hello", "bonjour"]
    assert received[0]["metadata"] == {"lang": "fr"} and received[1]["metadata"] == {"lang": "en"}
    senders = [r["sender"] for r in received]
    assert senders[0] == senders[1] != senders[2]


def test_open_loop_sends_the_schedule_and_counts_failures(server: tuple[str, list]) -> None:
    url, received = server
    users = [load.parsing(Target(f"{url}/webhook", f"{url}/fail"), [("bonjour", "fr")]) for _ in range(2)]
    outcome = load.open_loop(users, 0.1, 0.3)
    assert len(received) == 6 and {r["path"] for r in received} == {"/fail"}
    assert received[0]["text"] == "bonjour"
    assert outcome.errors == 6 and outcome.latencies_ms == [] and outcome.late == 0


def test_a_given_stock_model_folder_is_used_as_it_is_or_refused_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "stock-older"
    with pytest.raises(BenchError, match="holds no stock model"):
        stock_model_in(folder)
    folder.mkdir()
    (folder / MODEL_NAME).write_bytes(b"model")
    (folder / RECORD_NAME).write_text('{"training_s": 751.0}')
    model = stock_model_in(folder)
    assert (model.path, model.training_s, model.trained_now) == (folder / MODEL_NAME, 751.0, False)
