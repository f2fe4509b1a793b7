"""The build pauses the cyclic collector and gives it back as it found it."""
from __future__ import annotations

import gc

import pytest

from kg.parallel.gc_pause import collector_paused


def test_collector_state_restored():
    assert gc.isenabled()
    keep = [[i] for i in range(100)]
    with collector_paused():
        assert not gc.isenabled()
        assert gc.get_freeze_count() >= len(keep)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_caller_that_switched_the_collector_off_keeps_it_off():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_blocks_keep_the_outer_freeze():
    with collector_paused():
        frozen = gc.get_freeze_count()
        with collector_paused():
            pass
        assert not gc.isenabled()
        assert gc.get_freeze_count() == frozen
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_collector_restored_when_the_block_fails():
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector_paused():
            raise RuntimeError("stage failed")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_extraction_and_build_give_the_collector_back(tmp_path):
    from pathlib import Path

    from kg.build.pipeline import run_build

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    assert gc.isenabled()
    run_build([seeds], seeds.parent, tmp_path / "out", jobs=2, use_cache=False)
    assert gc.isenabled() and gc.get_freeze_count() == 0
