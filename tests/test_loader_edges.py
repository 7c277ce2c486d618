"""The loader at its edges: exact limits, first-byte positions, names of unprintable
characters, date-like text, tabs in the first column."""

from __future__ import annotations

import pytest

from archgen.check import check_file, check_source
from archgen.model.loader import MAX_BYTES_CEILING, Limits
from tests.conftest import FIXTURES

DIR = FIXTURES / "loader"
LIMIT = 2 * 1024 * 1024  # the documented default of --max-bytes


def rows(result):
    return [(f.code, f.line, f.column, f.message) for f in result.findings]


def padded(size: int) -> bytes:
    head = b"archgen: 1\ntitle: Padded\n#"
    return head + b"x" * (size - len(head) - 1) + b"\n"


def test_default_limit_is_two_mebibytes_exactly():
    assert Limits().max_bytes == LIMIT
    at_limit = check_source(padded(LIMIT), "big.yaml")
    assert [f.code for f in at_limit.findings if f.code == "E005"] == []
    over = check_source(padded(LIMIT + 1), "big.yaml")
    assert rows(over) == [("E005", 1, 1, "the file is 2,097,153 bytes; the limit is 2,097,152")]


def test_file_over_the_limit_reports_its_real_size(tmp_path):
    spec = tmp_path / "big.yaml"
    spec.write_bytes(padded(LIMIT + 10))
    assert rows(check_file(spec)) == [("E005", 1, 1, "the file is 2,097,162 bytes; the limit is 2,097,152")]
    assert rows(check_file(spec, Limits(max_bytes=LIMIT + 10))) == []


@pytest.mark.parametrize("value,ok", [(MAX_BYTES_CEILING, True), (MAX_BYTES_CEILING + 1, False), (0, False)])
def test_max_bytes_ceiling_is_one_gibibyte(value, ok, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from archgen.cli import app

    spec = tmp_path / "a.yaml"
    spec.write_text("archgen: 1\ntitle: A\nsources:\n  web: kpl\nstreams:\n  s: kinesis-data-streams\n"
                    "flows:\n  - web -> s\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "--max-bytes", str(value), "a.yaml"])
    assert result.exit_code == (0 if ok else 2), result.output


def test_nul_as_the_first_byte_is_at_line_one_column_one():
    assert rows(check_file(DIR / "nul-first.yaml")) == [
        ("E006", 1, 1, "the file contains a NUL byte; it looks binary, not YAML")]


def test_unprintable_characters_are_named():
    assert rows(check_file(DIR / "control-characters.yaml")) == [
        ("E007", 2, 8, "a text value holds the unprintable character U+001B (ESCAPE)"),
        ("E007", 4, 30, "a text value holds the unprintable character U+007F (DELETE)"),
        ("E007", 5, 30, "a text value holds the unprintable character U+0001 (control character)"),
        ("E007", 6, 30, "a text value holds the unprintable character U+FFFE (non-character)"),
    ]


def test_date_like_text_stays_the_text_written():
    result = check_file(DIR / "date-labels.yaml")
    assert rows(result) == []
    assert result.spec.title == "2024-01-01"
    assert result.spec.components["web"].label == "2025-06-30"


def test_tab_in_the_first_column():
    assert rows(check_file(DIR / "tab-first-column.yaml")) == [
        ("E004", 4, 1, "a tab character is used for indentation")]


def test_ids_inside_quoted_flows_are_found_past_the_quote():
    assert [(f.code, f.line, f.column, f.hint) for f in check_file(DIR / "quoted-flows.yaml").findings] == [
        ("E201", 8, 13, "did you mean `clicks`?")]


def test_unclosed_construct_points_at_where_it_opened():
    assert [(f.code, f.line, f.column, f.hint) for f in check_file(DIR / "unclosed-mapping.yaml").findings] == [
        ("E001", 5, 6, "the construct that is not closed starts at line 3, column 10")]


def test_syntax_error_on_the_line_it_opened_gets_the_general_hint():
    assert [(f.code, f.line, f.column, f.message, f.hint)
            for f in check_file(DIR / "reserved-character.yaml").findings] == [
        ("E001", 2, 8, "YAML syntax error: found character that cannot start any token "
                       "(while scanning for the next token)",
         "check the indentation and quoting around this position")]


def test_syntax_error_without_a_context_mark_gets_the_general_hint():
    # PyYAML gives "mapping values are not allowed" no context mark: only the problem's
    assert [(f.code, f.line, f.column, f.message, f.hint)
            for f in check_file(DIR / "value-with-colon.yaml").findings] == [
        ("E001", 2, 14, "YAML syntax error: mapping values are not allowed in this context",
         "check the indentation and quoting around this position")]


def test_an_alias_inside_its_own_anchor_is_named_at_the_key_that_holds_it():
    assert [(f.code, f.line, f.column, f.message, f.hint)
            for f in check_file(DIR / "alias-inside-anchor.yaml").findings] == [
        ("E005", 5, 3, "a YAML alias is used inside the value of its own anchor, which makes the spec endless",
         "an anchor (`&name`) cannot be used (`*name`) within its own value; write the value out")]
    assert check_file(DIR / "alias-reused.yaml").findings == []


def test_a_quoted_format_version_says_to_drop_the_quotes():
    assert [(f.code, f.line, f.column, f.message, f.hint)
            for f in check_file(DIR / "version-quoted.yaml").findings] == [
        ("E105", 1, 10, 'the format version is the text "1", not the number 1', "write `archgen: 1` without quotes")]


def test_each_malformed_flow_is_told_what_is_wrong_and_where():
    assert [(f.code, f.line, f.column, f.hint) for f in check_file(DIR / "malformed-flows.yaml").findings] == [
        ("E106", 8, 13, "the flow ends with `->`; name the component the data goes to"),
        ("E106", 9, 11, "`k b` is not one id (ids have no spaces); join the ids with `->`, "
                        "or write the id with `-` or `_`"),
        ("E106", 10, 7, "two arrows with no id between them; remove one or name the component between"),
        ("E106", 11, 5, "a flow joins two ids with `->`: `a -> b`"),
        ("E106", 12, 7, "`>` is not an arrow in a flow; join the ids with `->`"),
        ("E106", 13, 7, "`=>` is not an arrow in a flow; join the ids with `->`"),
        ("E106", 14, 5, "the flow starts with `->`; name the component the data comes from first"),
        ("E106", 15, 8, "`>` cannot be part of an id; write arrows as `->`"),
    ]
