"""Site templates learned from the archive (issue 12): lines a folder's pages all repeat.

The pages are made from the seeds' real paragraphs, each page a different story, wrapped
in a site's chrome that no pattern in boilerplate.txt knows: a promo that reads like a
headline, a share widget that reads like prose, a subscribe line, a reporter's name.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from index import template
from index.build import build_index
from index.clean import clean_page, template_key
from index.readers import read_parsed
from index.reading import ReadContext
from index.sources import discover

ROOT = Path(__file__).resolve().parents[2]
PROMO = "Kabar Terhangat Pekan Ini dari Redaksi Kami"  # shaped like a headline
WIDGET = "Bagikan kisah ini kepada teman dan keluarga Anda melalui tombol di bawah ini."
SUBSCRIBE = "Dapatkan ringkasan berita pilihan setiap pagi langsung di kotak surat Anda."


def _paragraphs() -> list[str]:
    paras: list[str] = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        for line in seed.read_text(encoding="utf-8").splitlines():
            if len(line.split()) >= 25 and line not in paras:
                paras.append(line)
    return paras


def _site(folder: Path, pages: int, seed: int = 0) -> list[str]:
    """`pages` text pages of one site in `folder`; returns their headlines."""
    rng = random.Random(seed)
    paras = _paragraphs()
    folder.mkdir(parents=True, exist_ok=True)
    titles = []
    for n in range(pages):
        title = f"Laporan Khusus Nomor {n + 1} tentang Kerja Sama Kawasan"
        titles.append(title)
        story = rng.sample(paras, 3)
        lines = [
            "Beranda",
            PROMO,
            title,
            "Rendi Mahendra" if n % 2 else "Sari Wulandari",
            f"Kamis, {n % 27 + 1:02d} November 2023 - 10:{n % 60:02d} WIB",
            WIDGET,
            *story,
            SUBSCRIBE,
        ]
        (folder / f"page{n:03d}.txt").write_text("\n".join(lines), encoding="utf-8")
    return titles


def test_learner_counts_pages_not_copies_and_needs_enough_of_them() -> None:
    paras = _paragraphs()
    learner = template.TemplateLearner()
    for n in range(30):
        learner.add(f"site/p{n}.txt", "\n".join([PROMO, paras[n % len(paras)], f"Judul {n}"]))
    learned = learner.learned()
    assert set(learned) == {"site"}
    site = learned["site"]
    assert template_key(PROMO) in site.keys
    assert template_key("Judul 3") not in site.keys
    # The 30 pages hold only len(paras) distinct stories: copies count once.
    assert site.pages == min(30, len(paras))
    few = template.learn((f"small/p{n}.txt", f"{PROMO}\nJudul {n}") for n in range(5))
    assert few == {}  # five pages are too few to tell a template


def test_lossy_counting_keeps_what_recurs_and_forgets_the_rest() -> None:
    learner = template.TemplateLearner()
    for n in range(1000):
        learner.add("big/x.txt", f"{PROMO}\nbaris unik nomor {n}\nlain lagi {n}")
    group = learner._groups["big"]
    assert len(group.counts) < 3 * template._BUCKET  # one-off lines were dropped
    assert template_key(PROMO) in learner.learned()["big"].keys


def test_clean_page_keeps_template_out_of_title_and_story(tmp_path: Path) -> None:
    titles = _site(tmp_path / "situs", 24)
    learned = template.learn(template.text_pages(f for f in discover(tmp_path)))
    hashes = learned["situs"].keys
    assert {template_key(x) for x in (PROMO, WIDGET, SUBSCRIBE)} <= hashes
    assert template_key("Rendi Mahendra") in hashes  # recurring, and still read as a name
    page = (tmp_path / "situs" / "page003.txt").read_text(encoding="utf-8")
    plain, learnt = clean_page(page), clean_page(page, hashes)
    assert WIDGET in plain.body + plain.captions  # the shape rules alone keep it
    assert learnt.title == titles[3]
    assert WIDGET not in learnt.body and SUBSCRIBE not in learnt.body
    assert len(learnt.body) == 3
    ctx = ReadContext(templates=learned)
    found = next(f for f in discover(tmp_path) if f.rel.endswith("page003.txt"))
    (parsed,) = list(read_parsed(found, ctx))
    assert parsed.article.authors == ["Rendi Mahendra"]


def test_a_template_that_would_leave_no_story_is_not_applied() -> None:
    page = "\n".join(["Judul Berita yang Cukup Panjang di Sini", *_paragraphs()[:2]])
    everything = frozenset(template_key(x) for x in page.splitlines())
    assert clean_page(page, everything).body == clean_page(page).body


def test_build_reports_learns_saves_and_update_keeps(tmp_path: Path) -> None:
    src = tmp_path / "arsip"
    _site(src / "situs", 24)
    ix = tmp_path / "ix"
    report = build_index(src, ix)
    (learned,) = report.templates
    assert learned["group"] == "situs" and learned["pages"] == 24
    assert learned["lines"] >= 4 and PROMO in learned["examples"]
    # --update reuses what the full build learned, even where the folder alone could not.
    for extra in (src / "situs").glob("page01*.txt"):
        extra.unlink()
    (src / "situs" / "new.txt").write_text(
        "\n".join([PROMO, "Judul Baru yang Ditambahkan Kemudian", *_paragraphs()[:2], WIDGET]),
        encoding="utf-8",
    )
    updated = build_index(src, ix, update=True)
    assert [t["group"] for t in updated.templates] == ["situs"]
    cmd = [sys.executable, "-m", "warta", "export", "--index", str(ix)]
    rows = [
        json.loads(x)
        for x in subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()
    ]
    new = next(r for r in rows if r["path"].endswith("new.txt"))
    assert new["title"] == "Judul Baru yang Ditambahkan Kemudian"
    assert WIDGET not in new["body"]


def test_index_json_lists_what_was_learned(tmp_path: Path) -> None:
    src = tmp_path / "arsip"
    _site(src / "situs", 20)
    cmd = [sys.executable, "-m", "warta", "index", str(src), "--index", str(tmp_path / "ix")]
    run = subprocess.run([*cmd, "--json"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["templates"][0]["group"] == "situs"
    # the seeds' datelines name their outlets; the rest are unknown
    assert sum(doc["templates"][0]["outlets"].values()) == 20
    assert doc["template_s"] >= 0
    plain = subprocess.run(cmd, capture_output=True, text=True).stdout
    assert "site templates:  1 folder" in plain and "situs/:" in plain


def _found(root: Path) -> list:
    return [f for f in discover(root) if not hasattr(f, "reason")]


def test_two_processes_learn_what_one_does(tmp_path: Path, monkeypatch) -> None:
    """Folders shared out with a forked helper give the same templates, in the same order,
    as one pass; and a helper that dies leaves its folders to this process."""
    for n, name in enumerate(["kompas", "detik/news", "tempo", "antara"]):
        _site(tmp_path / name, 12 + 3 * n, seed=n)
    (tmp_path / "tempo" / "notes.html").write_text("<p>bukan halaman teks</p>")
    found = _found(tmp_path)
    one = template.learn(template.text_pages(found))
    assert len(one) == 4
    monkeypatch.setattr(template, "PARALLEL_MIN_PAGES", 10)
    two = template.learn_pages(found)
    assert two == one and list(two) == list(one)
    assert all(two[name].keys == one[name].keys for name in one)  # as the cleaner reads them
    assert template._share({0: 50, 1: 30, 2: 15, 3: 10}) == {1, 2, 3}  # 50 here, 55 there

    def dies(*args: object) -> None:
        import os

        os._exit(3)

    monkeypatch.setattr(template, "_learn_for", dies)
    alone = template.learn_pages(found)
    assert alone == one and list(alone) == list(one)


def test_few_pages_are_learned_in_one_process(tmp_path: Path, monkeypatch) -> None:
    _site(tmp_path / "a", 12)
    _site(tmp_path / "b", 12, seed=1)
    monkeypatch.setattr(template, "_learn_for", lambda *a: (_ for _ in ()).throw(AssertionError))
    assert template.learn_pages(_found(tmp_path)) == template.learn(
        template.text_pages(_found(tmp_path))
    )
