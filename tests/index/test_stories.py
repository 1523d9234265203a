"""Stories (issue 18): reposts join, different articles of one topic do not, short texts
never join, and the table survives a save, a load and damage.

The articles below are written for these tests (no corpus text): a flood report, its
repost by another outlet, a different report on the same flood, and two unrelated ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from datetime import timedelta, timezone
from pathlib import Path
from random import Random

import numpy as np
import pytest

from index import stories
from index.stories import (
    StoryIndex,
    StoryTableError,
    sketch,
)

ROOT = Path(__file__).resolve().parents[2]
WIB = timezone(timedelta(hours=7))

FLOOD_TITLE = "Banjir Rendam Ribuan Rumah di Bekasi, Warga Mengungsi ke Masjid"
FLOOD = [
    "Jakarta, ANTARA - Banjir setinggi satu meter merendam ribuan rumah di tiga kecamatan di "
    "Kabupaten Bekasi, Jawa Barat, sejak Selasa dini hari setelah hujan deras mengguyur "
    "kawasan itu selama lebih dari enam jam.",
    "Kepala Badan Penanggulangan Bencana Daerah (BPBD) Kabupaten Bekasi, Hendra Saputra, "
    "mengatakan air mulai naik sekitar pukul 02.00 WIB ketika tanggul Kali Cikarang jebol "
    "sepanjang 15 meter. Petugas gabungan langsung mengevakuasi warga lanjut usia dan "
    "anak-anak menggunakan perahu karet.",
    '"Saat ini ada sekitar 2.300 warga yang mengungsi di masjid, sekolah dan kantor desa. '
    'Kami sudah mendirikan dapur umum dan posko kesehatan di setiap titik pengungsian," '
    "kata Hendra kepada wartawan di lokasi.",
    "Menurut dia, genangan paling parah terjadi di Desa Sukamaju dan Desa Karangsari yang "
    "berada di dataran rendah. Sejumlah ruas jalan kabupaten juga tidak bisa dilalui "
    "kendaraan roda dua.",
    "BPBD memperkirakan air baru surut dalam dua hingga tiga hari apabila tidak turun hujan "
    "lagi. Warga diimbau tetap waspada dan segera melapor ke posko terdekat bila membutuhkan "
    "bantuan.",
]

# The same report on another site: its own headline and dateline, a "Baca juga" teaser,
# a paragraph dropped, the site's footer.
REPOST_TITLE = "Tanggul Kali Cikarang Jebol, 2.300 Warga Bekasi Mengungsi"
REPOST = [
    "BEKASI, KOMPAS.com - " + FLOOD[0].removeprefix("Jakarta, ANTARA - "),
    FLOOD[1],
    "Baca juga: Jadwal KRL Terganggu Akibat Genangan di Stasiun Cikarang",
    FLOOD[2],
    FLOOD[4],
    "Simak berita dan artikel lainnya di Google News.",
]

# A different article of the same outlet, day and topic: many shared words, few shared
# three-word runs.
RELIEF_TITLE = "Banjir Bekasi, Pemkab Tetapkan Status Tanggap Darurat Tujuh Hari"
RELIEF = [
    "Jakarta, ANTARA - Pemerintah Kabupaten Bekasi menetapkan status tanggap darurat bencana "
    "banjir selama tujuh hari setelah air merendam permukiman warga di sejumlah kecamatan "
    "pada Selasa.",
    "Bupati Bekasi mengatakan penetapan status itu memudahkan pemerintah daerah menyalurkan "
    "bantuan logistik dan menggunakan dana belanja tidak terduga untuk penanganan banjir.",
    '"Kami ingin bantuan sampai lebih cepat kepada warga yang terdampak banjir. Semua dinas '
    'sudah kami minta turun ke lapangan," kata bupati di kantornya, Selasa sore.',
    "Ia menambahkan pemerintah akan memperbaiki tanggul Kali Cikarang yang jebol setelah air "
    "surut dan meminta bantuan pemerintah provinsi Jawa Barat untuk normalisasi sungai.",
    "Data sementara BPBD Kabupaten Bekasi mencatat lebih dari dua ribu warga mengungsi, "
    "sementara kerugian akibat banjir masih dihitung oleh petugas di lapangan.",
]

FOOTBALL = [
    "Jakarta, CNN Indonesia -- Tim nasional Indonesia bermain imbang 1-1 melawan Vietnam pada "
    "laga kedua Grup B Piala AFF di Stadion Utama Gelora Bung Karno, Jakarta, Sabtu malam.",
    "Indonesia tertinggal lebih dulu lewat sundulan penyerang Vietnam pada menit ke-23 "
    "setelah lini belakang gagal mengantisipasi tendangan sudut. Tuan rumah baru menyamakan "
    "kedudukan pada menit ke-67 melalui tembakan keras dari luar kotak penalti.",
    "Pelatih timnas mengaku puas dengan semangat anak asuhnya meski belum bisa meraih "
    'kemenangan di depan puluhan ribu pendukung sendiri. "Para pemain bekerja keras sampai '
    'menit terakhir dan itu modal penting untuk laga berikutnya," ujarnya seusai pertandingan.',
    "Hasil ini membuat Indonesia mengoleksi empat poin dari dua pertandingan dan masih "
    "berpeluang lolos ke semifinal. Pada laga terakhir grup, skuad Garuda akan bertandang ke "
    "Manila untuk menghadapi Filipina pekan depan.",
]

INFLATION = [
    "Jakarta, Kompas.com - Badan Pusat Statistik (BPS) mencatat inflasi tahunan pada Oktober "
    "sebesar 2,56 persen, lebih rendah dibandingkan bulan sebelumnya yang mencapai 2,84 persen.",
    "Deputi Bidang Statistik Distribusi dan Jasa BPS mengatakan penurunan inflasi terutama "
    "dipicu oleh turunnya harga cabai merah, bawang merah dan beras di sebagian besar kota "
    "yang disurvei.",
    '"Pasokan dari daerah sentra produksi mulai normal setelah musim panen, sehingga harga di '
    'tingkat konsumen ikut terkoreksi," katanya dalam konferensi pers di Jakarta, Rabu.',
    "Meski demikian, BPS mengingatkan tekanan harga masih bisa muncul menjelang akhir tahun "
    "seiring meningkatnya permintaan selama libur Natal dan Tahun Baru. Pemerintah daerah "
    "diminta menjaga kelancaran distribusi bahan pokok.",
]

# A two-line flash, and the same flash under another outlet's dateline.
FLASH = [
    "Jakarta, ANTARA - Banjir kembali merendam permukiman warga di Kabupaten Bekasi, Jawa "
    "Barat, Selasa. BPBD mencatat ribuan warga mengungsi ke masjid dan sekolah.",
]
FLASH_COPY = ["BEKASI, KOMPAS.com - " + FLASH[0].removeprefix("Jakarta, ANTARA - ")]


def _index_of(*articles: tuple[str, list[str]]) -> StoryIndex:
    index = StoryIndex()
    for article_id, body in articles:
        index.assign(article_id, sketch("", body))
    return index


def test_the_texts_are_long_enough_to_judge() -> None:
    for body in (FLOOD, REPOST, RELIEF, FOOTBALL, INFLATION):
        assert len(stories.word_hashes(" ".join(body))) >= stories.MIN_WORDS


def test_a_repost_with_a_new_headline_and_dateline_joins_the_story() -> None:
    index = StoryIndex()
    assert index.assign("flood", sketch(FLOOD_TITLE, FLOOD)) == "flood"
    found = index.nearest(sketch(REPOST_TITLE, REPOST))
    assert found is not None and found[0] == "flood"
    assert stories.DEFAULT_THRESHOLD <= found[1] < 1.0
    assert index.assign("repost", sketch(REPOST_TITLE, REPOST)) == "flood"


def test_a_different_article_on_the_same_topic_starts_its_own_story() -> None:
    index = _index_of(("flood", FLOOD), ("football", FOOTBALL))
    assert index.assign("relief", sketch(RELIEF_TITLE, RELIEF)) == "relief"
    flood, relief = sketch("", FLOOD), sketch("", RELIEF)
    assert flood is not None and relief is not None
    assert flood.similarity(relief) < 0.2


def test_the_headline_does_not_count() -> None:
    a, b = sketch(FLOOD_TITLE, FLOOD), sketch("Judul Lain Sama Sekali", FLOOD)
    assert a is not None and b is not None
    assert np.array_equal(a.values, b.values)


def test_a_short_text_has_no_sketch_and_never_joins() -> None:
    assert sketch("", FLASH) is None
    assert sketch("", FLASH_COPY) is None
    index = StoryIndex()
    assert index.assign("flash", sketch("", FLASH)) == "flash"
    assert index.assign("copy", sketch("", FLASH_COPY)) == "copy"
    assert index.assign("again", None) == "again"
    assert index.nearest(None) is None


def test_assignment_is_deterministic() -> None:
    order = [
        ("flood", FLOOD),
        ("relief", RELIEF),
        ("repost", REPOST),
        ("football", FOOTBALL),
        ("inflation", INFLATION),
    ]
    first = _index_of(*order).stories()
    second = _index_of(*order).stories()
    assert first == second
    assert first == {
        "flood": "flood",
        "relief": "relief",
        "repost": "flood",
        "football": "football",
        "inflation": "inflation",
    }


def test_sketches_are_the_same_in_another_process() -> None:
    """Not Python's salted hash(): a fresh process with another hash seed agrees."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from index.stories import sketch; from tests.index.test_stories import FLOOD; "
        "print(','.join(map(str, sketch('', FLOOD).values.tolist())))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    ).stdout.strip()
    here = sketch("", FLOOD)
    assert here is not None
    assert out == ",".join(map(str, here.values.tolist()))


def test_the_minhash_is_datasketch_s() -> None:
    """`minhash` computes in numpy what datasketch's MinHash computes a shingle at a
    time: the same values (the library is the reference)."""
    from datasketch import MinHash

    hashes = stories.shingle_hashes(stories.word_hashes(" ".join(FLOOD + FOOTBALL)))
    for num_perm in (stories.NUM_PERM, 128):
        reference = MinHash(num_perm=num_perm, seed=stories.SEED, hashfunc=int, scheme="affine32")
        reference.update_batch(hashes.tolist())
        assert np.array_equal(stories.minhash(hashes, num_perm), reference.hashvalues)
    made = sketch("", FLOOD + FOOTBALL)
    assert made is not None and made.values.dtype == np.uint32
    assert np.array_equal(made.values, stories.minhash(hashes))


def test_an_article_id_is_assigned_once() -> None:
    index = _index_of(("flood", FLOOD))
    with pytest.raises(ValueError, match="already assigned"):
        index.assign("flood", sketch("", REPOST))


def test_an_article_id_is_a_non_empty_line() -> None:
    index = StoryIndex()
    for bad in ("", "two\nlines"):
        with pytest.raises(ValueError):
            index.assign(bad, sketch("", FLOOD))
    assert len(index) == 0


def test_a_wrong_threshold_is_not_a_damaged_table(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    with pytest.raises(ValueError) as caught:
        StoryIndex.load(path, threshold=1.5)
    assert not isinstance(caught.value, StoryTableError)


def test_a_sketch_of_other_parameters_is_refused() -> None:
    index = StoryIndex()
    with pytest.raises(ValueError):
        index.assign("flood", sketch("", FLOOD, ngram=4))
    with pytest.raises(ValueError):
        index.assign("flood", sketch("", FLOOD, num_perm=32))


def test_save_load_then_a_new_repost_joins_the_loaded_story(tmp_path: Path) -> None:
    index = _index_of(
        ("flood", FLOOD), ("relief", RELIEF), ("football", FOOTBALL), ("flash", FLASH)
    )
    path = tmp_path / "stories.npz"
    index.save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["stories.npz"]  # no temporary left
    loaded = StoryIndex.load(path)
    assert loaded.stories() == index.stories()
    assert loaded.threshold == index.threshold
    assert loaded.assign("repost", sketch(REPOST_TITLE, REPOST)) == "flood"
    assert loaded.assign("inflation", sketch("", INFLATION)) == "inflation"
    # a second generation: saved over the first, loaded again
    loaded.save(path)
    again = StoryIndex.load(path, threshold=0.6)
    assert again.threshold == 0.6
    assert again.stories() == loaded.stories()


def test_remove_keeps_the_story_id_of_the_others(tmp_path: Path) -> None:
    index = _index_of(("flood", FLOOD), ("repost", REPOST), ("football", FOOTBALL))
    index.remove("flood")
    assert "flood" not in index and len(index) == 2
    assert index.story_of("repost") == "flood"
    # a new copy still finds the story through the repost
    assert index.assign("copy", sketch("", FLOOD)) == "flood"
    index.remove("copy")
    index.remove("repost")
    # nothing of the story is left: the next copy starts a story of its own
    assert index.assign("late copy", sketch("", FLOOD)) == "late copy"
    with pytest.raises(KeyError):
        index.remove("flood")
    path = tmp_path / "stories.npz"
    index.save(path)
    assert StoryIndex.load(path).stories() == {"football": "football", "late copy": "late copy"}


def test_an_article_removed_then_added_again_can_rejoin() -> None:
    index = _index_of(("flood", FLOOD), ("repost", REPOST))
    index.remove("repost")
    assert index.assign("repost", sketch("", REPOST)) == "flood"


def test_a_new_article_under_a_removed_founder_s_id_gets_a_story_of_its_own(
    tmp_path: Path,
) -> None:
    """The file that started a story is rewritten with another article (same path, so
    the same id): the old story keeps its id and its other members, the new article does
    not share that id with them."""
    index = _index_of(("page", FLOOD), ("repost", REPOST))
    index.remove("page")
    assert index.assign("page", sketch("", FOOTBALL)) == "page-2"
    assert index.story_of("repost") == "page"
    path = tmp_path / "stories.npz"
    index.save(path)
    loaded = StoryIndex.load(path)
    assert loaded.stories() == {"repost": "page", "page": "page-2"}
    loaded.remove("page")  # "page-2" has no member left: free again
    assert loaded.assign("page", sketch("", INFLATION)) == "page-2"
    loaded.remove("page")
    loaded.remove("repost")  # nor has "page"
    assert loaded.assign("page", sketch("", RELIEF)) == "page"


def _saved(tmp_path: Path) -> Path:
    path = tmp_path / "stories.npz"
    _index_of(("flood", FLOOD), ("relief", RELIEF), ("football", FOOTBALL)).save(path)
    return path


def _one_line_error(path: Path) -> str:
    with pytest.raises(StoryTableError) as caught:
        StoryIndex.load(path)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_a_missing_table_raises(tmp_path: Path) -> None:
    assert "missing" in _one_line_error(tmp_path / "nothing.npz")


def test_a_truncated_table_raises(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    data = path.read_bytes()
    for cut in (0, 10, len(data) // 2, len(data) - 1):
        path.write_bytes(data[:cut])
        assert "damaged" in _one_line_error(path)


def test_a_garbled_table_raises(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("values.npy")
    data = bytearray(path.read_bytes())
    data[info.header_offset + 30 + len(info.filename) + 200] ^= 0xFF  # inside the sketches
    path.write_bytes(bytes(data))
    assert "damaged" in _one_line_error(path)
    path.write_bytes(b"not a story table at all")
    assert "damaged" in _one_line_error(path)
    np.save(path.with_suffix(".npy"), np.arange(4))
    path.with_suffix(".npy").rename(path)
    assert "damaged" in _one_line_error(path)


def test_a_table_of_other_shingles_raises(tmp_path: Path, monkeypatch) -> None:
    path = _saved(tmp_path)
    monkeypatch.setattr(stories, "HASH_VERSION", stories.HASH_VERSION + 1)
    assert "other shingles" in _one_line_error(path)


def test_inconsistent_columns_raise(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["story"] = arrays["story"][:1]
    with open(path, "wb") as out:
        np.savez(out, **arrays)
    assert "damaged" in _one_line_error(path)


def _generated(count: int, seed: int) -> list[list[str]]:
    """Articles made of the paragraphs above, shuffled and recombined: many partial
    copies of each other, so the LSH meets crowded buckets and borderline pairs."""
    rng = Random(seed)
    pool = FLOOD + RELIEF + FOOTBALL + INFLATION
    return [rng.sample(pool, rng.randint(4, 8)) for _ in range(count)]


def test_the_compact_bands_give_datasketch_s_stories(monkeypatch) -> None:
    monkeypatch.setattr(stories._Bands, "_MERGE_MIN", 50)  # merge often
    bodies = _generated(240, seed=7)
    results = {}
    for lsh in ("compact", "datasketch"):
        index = StoryIndex(lsh=lsh)
        for i, body in enumerate(bodies):
            index.assign(f"a{i}", sketch("", body))
            if i % 7 == 3:
                index.remove(f"a{i - 2}")
        results[lsh] = index.stories()
    assert results["compact"] == results["datasketch"]
    assert len(set(results["compact"].values())) < len(results["compact"])  # some joined


@pytest.mark.parametrize("run_max", [1 << 22, 300])
def test_the_compact_bands_give_datasketch_s_candidates(monkeypatch, run_max: int) -> None:
    monkeypatch.setattr(stories._Bands, "_MERGE_MIN", 40)
    monkeypatch.setattr(stories._Bands, "_RUN_MAX", run_max)  # one run, or frozen runs
    rng = np.random.default_rng(3)
    values = rng.integers(0, 3, size=(300, 64), dtype=np.uint32)  # crowded buckets
    bands, rows = stories.lsh_params(0.5)
    compact = stories._Bands(bands, rows)
    reference = stories._DatasketchBands(bands, rows, 64)
    for slot, row in enumerate(values):
        for table in (compact, reference):
            table.insert(slot, row)
        if slot % 5 == 4:
            for table in (compact, reference):
                table.remove(slot - 3)
        if slot % 11 == 0:
            probe = rng.integers(0, 3, size=64, dtype=np.uint32)
            assert compact.query(probe) == reference.query(probe)


def test_lsh_params_find_pairs_at_the_threshold() -> None:
    for threshold in (0.3, 0.5, 0.7, 0.9):
        bands, rows = stories.lsh_params(threshold)
        assert bands * rows <= stories.NUM_PERM
        chance = stories.candidate_chance(threshold, bands, rows)
        assert chance >= stories.CANDIDATE_RECALL
    assert stories.lsh_params(0.5) == (21, 3)


# ---------------------------------------------------------------- one desk, another day
# REPOST measures 0.73 against FLOOD: a copy at the ordinary threshold, not at the one
# for a desk's own text a day later (a templated daily report, a follow-up).
MON = 480_000  # an hour since the epoch (2024-10-04 00:00 UTC)


def _second(first: tuple[str | None, int | None], second: tuple[str | None, int | None]) -> str:
    """The story the repost gets after the flood report, each with its (desk, hour)."""
    index = StoryIndex()
    index.assign("flood", sketch("", FLOOD), desk=first[0], hour=first[1])
    return index.assign("repost", sketch("", REPOST), desk=second[0], hour=second[1])


def test_one_desk_a_day_later_joins_only_when_nearly_the_same() -> None:
    assert sketch("", FLOOD).similarity(sketch("", REPOST)) < stories.SAME_DESK_THRESHOLD
    assert _second(("antara", MON), ("antara", MON + 24)) == "repost"
    assert _second(("antara", MON + 24), ("antara", MON)) == "repost"  # either way round
    index = StoryIndex()
    index.assign("flood", sketch("", FLOOD), desk="antara", hour=MON)
    assert index.assign("again", sketch("", FLOOD), desk="antara", hour=MON + 72) == "flood"


def test_other_desks_the_same_news_cycle_or_no_evidence_judge_as_usual() -> None:
    assert _second(("antara", MON), ("kompas", MON + 48)) == "flood"  # another outlet
    assert _second(("antara", MON), ("antara", MON + stories.SERIES_HOURS - 1)) == "flood"
    assert _second(("antara", MON), ("antara", None)) == "flood"  # undated
    assert _second(("antara", None), ("antara", MON)) == "flood"
    assert _second((None, MON), (None, MON + 48)) == "flood"  # no desk known
    assert _second(("antara", MON), (None, MON + 48)) == "flood"


def test_a_saved_table_keeps_desks_and_times(tmp_path: Path) -> None:
    index = StoryIndex()
    index.assign("flood", sketch("", FLOOD), desk="antara", hour=MON)
    index.assign("football", sketch("", FOOTBALL))
    path = tmp_path / "stories.npz"
    index.save(path)
    loaded = StoryIndex.load(path)
    assert loaded.assign("repost", sketch("", REPOST), desk="antara", hour=MON + 24) == "repost"
    # Another outlet's copy of the new article joins it (the nearest, identical).
    assert loaded.assign("copy", sketch("", REPOST), desk="kompas", hour=MON + 24) == "repost"


def test_a_table_saved_before_desks_loads_with_none_known(tmp_path: Path) -> None:
    index = StoryIndex()
    index.assign("flood", sketch("", FLOOD), desk="antara", hour=MON)
    path = tmp_path / "stories.npz"
    index.save(path)
    with np.load(path) as saved:
        arrays = {k: saved[k] for k in saved.files if k not in ("desks", "desk", "hour")}
    arrays["meta"] = arrays["meta"].copy()
    arrays["meta"][0] = 1  # the first format: no desks, no times
    with open(path, "wb") as out:
        np.savez(out, **arrays)
    loaded = StoryIndex.load(path)
    assert loaded.assign("repost", sketch("", REPOST), desk="antara", hour=MON + 24) == "flood"


def test_words_are_runs_of_letters_and_digits_whatever_their_case_or_punctuation() -> None:
    h = stories.word_hashes("Harga “Emas” naik—Rp 1.000,\u00a0kata BUDI; harga emas Budi")
    assert len(h) == 11  # harga emas naik rp 1 000 kata budi harga emas budi
    assert h[0] == h[8] and h[1] == h[9] and h[7] == h[10]  # case and punctuation apart
    assert len(set(h.tolist())) == 8
    assert len(stories.word_hashes("")) == 0 and len(stories.word_hashes("— … «»")) == 0
    assert stories.word_hashes("café")[0] != stories.word_hashes("cafe")[0]


def test_word_hashes_are_the_same_in_every_process() -> None:
    """Sketches saved by one build are compared with sketches made by the next: the word
    hashes must not depend on the process (Python's own hash() does)."""
    code = "from index import stories; print(stories.word_hashes('banjir bekasi')[0])"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert runs == {f"{stories.word_hashes('banjir bekasi')[0]}\n"}


def _churned_stories(spill: Path | None = None, saved: Path | None = None) -> dict[str, str]:
    """Stories of generated articles assigned with removals and ids coming back (the
    sketches kept in a file in `spill`; the table then saved to `saved`)."""
    index = StoryIndex(spill=spill)
    for i, body in enumerate(_generated(240, seed=9)):
        article_id = f"a{i % 150}"  # the last 90 come back under an id seen before
        if article_id in index:
            index.remove(article_id)
        index.assign(article_id, sketch("", body))
        if i % 6 == 5:
            index.remove(f"a{(i - 3) % 150}")
    if saved is not None:
        index.save(saved)
    return index.stories()


def test_the_id_table_survives_colliding_hashes(monkeypatch) -> None:
    want = _churned_stories()
    monkeypatch.setattr(stories._Lookup, "_hash", staticmethod(lambda text: 1 + len(text) % 3))
    assert _churned_stories() == want


def test_small_blocks_and_a_small_recent_table_give_the_same_stories(monkeypatch) -> None:
    want = _churned_stories()
    monkeypatch.setattr(stories._Bands, "_MERGE_MIN", 10)
    monkeypatch.setattr(stories._Bands, "_RECENT_MAX", 60)
    monkeypatch.setattr(stories._Bands, "_LOAD_ROWS", 7)
    monkeypatch.setattr(stories._Bands, "_RUN_MAX", 200)  # many frozen runs
    monkeypatch.setattr(stories._Rows, "BLOCK", 8)
    assert _churned_stories() == want
    assert len(set(want.values())) < len(want)  # some joined


@pytest.mark.parametrize("block", [4, 8, 4096])
def test_sketches_kept_in_a_file_give_the_same_stories_and_table(
    tmp_path: Path, monkeypatch, block: int
) -> None:
    """A build keeps the sketches in an unnamed file in its staging folder, reading a
    candidate's back when it is compared: the same stories, the same saved table."""
    in_memory, spilled = tmp_path / "memory.npz", tmp_path / "spilled.npz"
    want = _churned_stories(saved=in_memory)
    monkeypatch.setattr(stories._Rows, "BLOCK", block)
    spill = tmp_path / "spill"
    spill.mkdir()
    assert _churned_stories(spill=spill, saved=spilled) == want
    assert spilled.read_bytes() == in_memory.read_bytes()
    assert list(spill.iterdir()) == []  # the file has no name: nothing is left behind


def test_a_table_loaded_a_block_at_a_time_into_a_file_is_the_same(
    tmp_path: Path, monkeypatch
) -> None:
    saved = tmp_path / "saved.npz"
    _churned_stories(saved=saved)
    new = _generated(60, seed=11)
    whole = StoryIndex.load(saved)
    loaded = whole.stories()
    joined = [whole.assign(f"n{i}", sketch("", body)) for i, body in enumerate(new)]
    whole.save(tmp_path / "whole.npz")
    monkeypatch.setattr(stories._Bands, "_LOAD_ROWS", 5)
    monkeypatch.setattr(stories._Bands, "_RUN_MAX", 100)
    monkeypatch.setattr(stories._Rows, "BLOCK", 8)
    parts = StoryIndex.load(saved, spill=tmp_path)
    assert parts.stories() == loaded
    assert [parts.assign(f"n{i}", sketch("", body)) for i, body in enumerate(new)] == joined
    assert any(story.startswith("a") for story in joined)  # some joined a loaded story
    parts.save(tmp_path / "parts.npz")
    parts.close()
    assert (tmp_path / "parts.npz").read_bytes() == (tmp_path / "whole.npz").read_bytes()


def test_a_table_whose_sketches_are_cut_short_is_damaged(tmp_path: Path) -> None:
    saved = tmp_path / "saved.npz"
    _churned_stories(saved=saved)
    with np.load(saved) as z:
        arrays = {k: z[k] for k in z.files}
    cut = tmp_path / "cut.npz"
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(cut, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data[: len(data) - 100] if name == "values.npy" else data)
    assert arrays["values"].shape[0] > 1
    assert "damaged" in _one_line_error(cut)


def test_the_saved_table_is_numpy_s_npz_byte_for_byte(tmp_path: Path, monkeypatch) -> None:
    """The sketches are saved a block at a time, never as one array: the file is what
    numpy.savez writes of the same arrays."""
    monkeypatch.setattr(stories._Rows, "BLOCK", 4)
    index = StoryIndex()
    for i, body in enumerate(_generated(30, seed=4)):
        index.assign(f"a{i}", sketch("", body) if i % 5 else None, desk="d", hour=i)
    index.remove("a7")
    ours, theirs = tmp_path / "ours.npz", tmp_path / "theirs.npz"
    index.save(ours)
    with np.load(ours) as z:
        arrays = {k: z[k] for k in z.files}
    assert arrays["values"].shape == (23, stories.NUM_PERM)
    with open(theirs, "wb") as out:
        np.savez(out, **arrays)
    assert ours.read_bytes() == theirs.read_bytes()
