"""The benchmarks' shared options (bench/harness.py benchmark_parser): --set reaches the app's
environment and nothing else does; and the live-room benchmark's scenario d keeps its own pace."""
from pathlib import Path

import pytest

from bench import __main__ as live_room
from bench.harness import base_env, benchmark_parser


def parse(*argv: str):
    return benchmark_parser("bench-test", "A benchmark.", rounds="rounds", rate=3.0, rate_help="events",
                            seed=1, quiet_wait=5.0, quick="short").parse_args(argv)


def test_set_collects_app_settings_the_last_value_of_a_name_winning():
    args = parse("--set", "PLC_LIVE_BATCH_MS=0", "--set", "PLC_WORKERS=2", "--set", "PLC_LIVE_BATCH_MS=5")

    assert args.settings == {"PLC_LIVE_BATCH_MS": "5", "PLC_WORKERS": "2"}
    assert parse().settings == {}


@pytest.mark.parametrize("setting", ["LIVE_BATCH_MS=0", "PLC_LIVE_BATCH_MS", "PLC_=1", "PLC_X Y=1",
                                     "PLC_DATABASE_URL=sqlite://", "PLC_PORT=80"])
def test_set_refuses_what_is_no_app_setting_or_belongs_to_the_harness(setting, capsys):
    with pytest.raises(SystemExit):
        parse("--set", setting)
    assert "--set" in capsys.readouterr().err


def test_rounds_must_be_positive():
    with pytest.raises(SystemExit):
        parse("--rounds", "0")
    assert parse("--rounds", "3").rounds == 3


def test_the_app_gets_the_settings_given_and_none_from_our_environment(monkeypatch):
    monkeypatch.setenv("PLC_LIVE_BATCH_MS", "99")
    tmp = Path("/nonexistent/bench")

    app = base_env(tmp, settings={"PLC_LIVE_BATCH_MS": "0"})
    bare = base_env(tmp)

    assert app["PLC_LIVE_BATCH_MS"] == "0"
    assert "PLC_LIVE_BATCH_MS" not in bare
    assert app["PLC_DATABASE_URL"] == bare["PLC_DATABASE_URL"]


def test_scenario_d_runs_at_its_own_rate_as_long_as_b_with_as_many_step_changes_per_second():
    scenarios = {s.key: s for s in live_room.SCENARIOS}
    args = parse("--rate", "5")
    args.events, args.step_fraction = 90, 0.25

    b, d = live_room.pace(scenarios["b"], args), live_room.pace(scenarios["d"], args)

    assert b.rate == 5 and d.rate == live_room.FAST_RATE  # --rate moves b only
    assert d.events / d.rate == pytest.approx(args.events / live_room.DEFAULT_RATE)
    assert d.warmup / d.rate == pytest.approx(live_room.WARMUP_EVENTS / live_room.DEFAULT_RATE)
    assert d.step_fraction * d.rate == pytest.approx(args.step_fraction * live_room.DEFAULT_RATE)
    assert d.events * (scenarios["d"].phones + 1) >= 500  # deliveries per meeting: a meaningful p95
