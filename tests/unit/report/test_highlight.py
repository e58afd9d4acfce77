"""SQL highlighting keeps the text exactly and escapes it."""

from __future__ import annotations

from odibi_sql.report.highlight import highlight_sql
from tests.functional.html_dom import parse_html

SQL = '''-- totals <b>per</b> day
SELECT "weird ""name""", count(*) AS n, 'it''s <x>' AS s, 1.5 AS f
FROM t /* note & more */ WHERE a < 3 AND b IS NOT NULL'''


def test_highlight_keeps_the_text_and_marks_tokens():
    html = str(highlight_sql(SQL, "duckdb"))
    doc = parse_html(html)
    assert doc.text() == SQL
    assert "<b>" not in html and "&lt;x&gt;" in html
    marked = {(e.attrs["class"], e.text()) for e in doc.find_all("span")}
    assert {("k", "SELECT"), ("k", "FROM"), ("k", "NOT"), ("k", "NULL"), ("f", "count")} <= marked
    assert {("s", "'it''s <x>'"), ("n", "1.5"), ("i", '"weird ""name"""')} <= marked
    comments = [text for css, text in marked if css == "c"]
    assert any("-- totals <b>per</b> day" in c for c in comments)
    assert any("/* note & more */" in c for c in comments)


def test_highlight_of_unterminated_sql_is_escaped_text():
    html = str(highlight_sql("select 'open <", "spark"))
    assert parse_html(html).text() == "select 'open <"
