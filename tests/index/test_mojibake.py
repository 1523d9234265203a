"""Mojibake undone (index.mojibake): UTF-8 once read as Windows-1252, Latin-1 or Mac Roman.

The broken lines are as the development exports and IndoSum hold them (a few words each);
the clean ones are real names and places in their own spelling, which must stay."""

from __future__ import annotations

import pytest

from index import mojibake
from index.clean import normalize_text, template_key
from tests.helpers import run_warta


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        # Mac Roman (a spreadsheet export): a no-break space, quotation marks, an accent.
        (
            "Kevin Sanjaya¬†Sukamulyo/Marcus Fernaldi Gideon",
            "Kevin Sanjaya Sukamulyo/Marcus Fernaldi Gideon",
        ),
        (
            "semakin padat dan¬†‚ÄúSekarang kami masih fokus",
            "semakin padat dan “Sekarang kami masih fokus",
        ),
        ("kafe caf√© di Jakarta", "kafe café di Jakarta"),
        # Windows-1252 (seven IndoSum articles).
        (
            "periode 9-13 Mei 2018. â€œKami selalu berupaya",
            "periode 9-13 Mei 2018. “Kami selalu berupaya",
        ),
        # Latin-1: the C1 controls it leaves are part of what is repaired, not stripped first.
        ("â\x80\x9cKami selalu\xc2\xa0berupaya", "“Kami selalu berupaya"),
    ],
)
def test_mojibake_is_undone_before_the_text_is_normalised(broken, repaired):
    assert normalize_text(broken) == repaired


@pytest.mark.parametrize(
    "text",
    ["SÃO PAULO", "Sân bay Tân Sơn Nhất", "Château Frontenac", "Veliko Târnovo", "Å ibenik"],
)
def test_real_accented_text_is_left_as_written(text):
    assert mojibake.repair(text) == text


def test_clean_text_never_reaches_ftfy(monkeypatch):
    def refuse(text: str) -> str:
        raise AssertionError(f"ftfy asked about {text!r}")

    monkeypatch.setattr(mojibake, "_fix_encoding", refuse)
    text = "Pemerintah menyiapkan ratusan pompa air — “kata dia” — di 12 kelurahan."
    assert mojibake.repair(text) is text
    with pytest.raises(AssertionError):
        mojibake.repair("caf√©")


def test_a_template_line_is_known_whichever_way_it_was_read():
    """The template pass keys raw lines; a page's lines are normalised first."""
    raw = "Baca¬†Juga: ‚ÄúBerita‚Äù lainnya"
    assert template_key(raw) == template_key(normalize_text(raw))


def test_an_export_with_mojibake_is_searched_and_shown_repaired(tmp_path):
    """‚Äú glued "Äúsekarang" into one word: the article was not found by "sekarang"."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "export.csv").write_text(
        "title,content,date\n"
        '"Proyek LRT Diusulkan¬†Diperpanjang","Badan Pengelola Transportasi mengusulkan '
        "perpanjangan trase. Kondisi lalu lintas semakin padat dan¬†‚ÄúSekarang kami masih "
        'fokus pembangunan,‚Äù kata dia di caf√© dekat stasiun.",2019-09-19\n',
        encoding="utf-8",
    )
    ix = tmp_path / "ix"
    assert run_warta("index", str(src), "--index", str(ix)).returncode == 0
    found = run_warta("--index", str(ix), "search", "sekarang", "--json")
    assert found.returncode == 0, found.stderr
    assert "Proyek LRT Diusulkan Diperpanjang" in found.stdout
    assert "¬" not in found.stdout and "‚Ä" not in found.stdout
    cafe = run_warta("--index", str(ix), "search", "café", "--json")
    assert '"path":"export.csv#1"' in cafe.stdout
