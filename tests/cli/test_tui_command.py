import subprocess
import sys


def test_the_tui_without_a_terminal_says_so_instead_of_hanging(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "warta", "--index", str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("warta: the terminal UI needs a terminal")
