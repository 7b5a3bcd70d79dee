"""Property tests (hypothesis, bounded): the SMS encoder and the content loader and checker.

- `bot.sms`: `encode` never raises on any text (lone surrogates included: JSON can carry them);
  `fit` never exceeds the segment budget and only ever cuts; GSM-7 text round-trips unchanged.
- `bot.yamlfile.load_located` and `bot.content_check.check_content`, on a temporary copy of
  `content/` with one topic file replaced by random text, random bytes or random YAML: they never
  raise anything but a ContentError / a report of errors, and every error names a file and a line.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot import sms
from bot.content_check import TOPIC_REQUIRED, check_content
from bot.paths import content_dir
from bot.yamlfile import ContentError, load_located

FAST = settings(max_examples=200, deadline=None)
# check_content parses all ~50 content files on every example (about 0.4 s): fewer examples.
WHOLE_CHECK = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=1500)  # surrogates too
GSM7_CHARS = sorted((set(sms.GSM7_BASIC) - {"\x1b"}) | set(sms.GSM7_EXTENDED))
GSM7_TEXT = st.text(st.sampled_from(GSM7_CHARS), max_size=1200)
BUDGETS = st.integers(min_value=1, max_value=10)


# -- bot.sms ------------------------------------------------------------------------------------
@FAST
@given(ANY_TEXT)
def test_encode_never_raises_and_is_consistent(text):
    encoded = sms.encode(text)
    assert encoded.encoding in ("GSM-7", "UCS-2")
    assert encoded.segments >= 1
    assert encoded.units <= sms.max_units(encoded.segments, encoded.encoding == "UCS-2")
    if encoded.encoding == "GSM-7":
        assert sms.is_gsm7(encoded.text)
    else:
        assert encoded.text == text


@FAST
@given(ANY_TEXT, BUDGETS)
def test_fit_never_exceeds_the_budget(text, budget):
    fitted = sms.fit(text, budget)
    assert fitted.segments <= budget
    if sms.encode(text).segments <= budget:
        assert fitted == sms.encode(text)  # what fits is left alone
    else:
        assert fitted.text.endswith("...")


@FAST
@given(GSM7_TEXT)
def test_gsm7_text_round_trips(text):
    encoded = sms.encode(text)
    assert encoded.encoding == "GSM-7"
    assert encoded.text == text
    assert encoded.units == len(text) + sum(ch in sms.GSM7_EXTENDED for ch in text)


@FAST
@given(GSM7_TEXT, BUDGETS)
def test_fit_only_cuts_gsm7_text(text, budget):
    fitted = sms.fit(text, budget)
    assert fitted.encoding == "GSM-7" and fitted.segments <= budget
    if fitted.text != text:
        stem = fitted.text.removesuffix(" ...")
        assert text.startswith(stem)


# -- content: load_located and check_content ----------------------------------------------------
@pytest.fixture(scope="module")
def content_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(content_dir(), copy)
    assert not check_content(copy).errors  # the copy starts valid
    return copy


@pytest.fixture(scope="module")
def topic_file(content_copy) -> tuple[Path, str]:
    """The topic file the properties replace, and its original text."""
    path = content_copy / "topics" / "lost_documents.yml"
    return path, path.read_text(encoding="utf-8")


def yaml_values():
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=True)
        | st.text(max_size=40)
        | st.dates()
        | st.datetimes(min_value=dt.datetime(1900, 1, 1))
    )
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10) | st.integers(), inner, max_size=4), max_leaves=12)


TOPIC_FIELDS = st.sampled_from([*TOPIC_REQUIRED, "contacts_first", "micic_guidelines"])
# A topic-shaped document with fields of any type, or any YAML document at all.
RANDOM_YAML = (st.dictionaries(TOPIC_FIELDS | st.text(max_size=10), yaml_values(), max_size=12) | yaml_values()).map(
    lambda value: yaml.safe_dump(value, allow_unicode=True, sort_keys=False)
)
UTF8_TEXT = st.text(st.characters(codec="utf-8"), max_size=800)


def splice(original: str):
    """The real topic file with random text inserted somewhere: realistic editing slips."""
    return st.tuples(st.integers(0, len(original)), UTF8_TEXT).map(lambda cut: original[: cut[0]] + cut[1] + original[cut[0] :])


def assert_located(error: ContentError) -> None:
    assert isinstance(error, ContentError)
    assert error.path and isinstance(error.line, int) and error.line >= 1
    assert str(error).startswith(f"{error.path}:{error.line}: ")


def load_or_error(path: Path):
    try:
        return load_located(path)
    except ContentError as error:  # the only exception allowed
        assert_located(error)
        assert error.path == str(path)
        return error


@FAST
@given(data=st.data())
def test_load_located_returns_data_or_a_located_error(topic_file, data):
    path, original = topic_file
    replacement = data.draw(UTF8_TEXT | RANDOM_YAML | splice(original) | st.binary(max_size=400), label="file")
    try:
        path.write_bytes(replacement if isinstance(replacement, bytes) else replacement.encode("utf-8"))
        loaded = load_or_error(path)
        if isinstance(loaded, ContentError):
            lines = path.read_bytes().count(b"\n") + 1
            assert loaded.line <= lines
        else:
            assert all(line >= 1 for line in loaded.lines.values())
    finally:
        path.write_text(original, encoding="utf-8")


@WHOLE_CHECK
@given(replacement=RANDOM_YAML | UTF8_TEXT | st.binary(max_size=200))
def test_check_content_reports_errors_for_a_random_topic_file(topic_file, content_copy, replacement):
    path, original = topic_file
    assume(replacement not in (original, original.encode("utf-8")))
    try:
        path.write_bytes(replacement if isinstance(replacement, bytes) else replacement.encode("utf-8"))
        report = check_content(content_copy)
    finally:
        path.write_text(original, encoding="utf-8")
    assert report.errors, "a random file is never a valid topic"
    for error in report.errors + report.warnings:
        assert_located(error)
    assert any(error.path == str(path) for error in report.errors)


@WHOLE_CHECK
@given(data=st.data())
def test_check_content_survives_editing_slips(topic_file, content_copy, data):
    path, original = topic_file
    try:
        path.write_text(data.draw(splice(original), label="file"), encoding="utf-8")
        report = check_content(content_copy)  # may be valid (e.g. a space added): never raises
    finally:
        path.write_text(original, encoding="utf-8")
    for error in report.errors + report.warnings:
        assert_located(error)
