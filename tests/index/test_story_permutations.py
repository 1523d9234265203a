"""The story sketches' permutations are datasketch's, drawn without importing datasketch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import datasketch
import numpy as np
import pytest

from index.stories import NUM_PERM, SEED, _Lib


@pytest.mark.parametrize("num_perm", [1, 16, NUM_PERM, 128, 256])
def test_the_permutations_are_datasketchs(num_perm: int) -> None:
    a, b = _Lib().permutations(num_perm)
    want = datasketch.MinHash(num_perm=num_perm, seed=SEED, scheme="affine32").permutations
    assert a.dtype == b.dtype == np.uint32
    assert a.tolist() == want[0].tolist()
    assert b.tolist() == want[1].tolist()
    assert all(x % 2 == 1 for x in a.tolist())  # odd: each permutation a bijection


def test_sketching_imports_neither_datasketch_nor_scipy(tmp_path: Path) -> None:
    """The story process of a build makes sketches and saves them: 0.7 s of imports less."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from index.stories import StoryIndex, sketch\n"
        "index = StoryIndex()\n"
        "for i in range(3):\n"
        "    body = [' '.join(f'kata{j}' for j in range(i, i + 60))]\n"
        "    index.assign(f'a{i}', sketch('', body))\n"
        f"index.save(Path({str(tmp_path / 'sketches.npz')!r}))\n"
        "print(sorted(m for m in ('datasketch', 'scipy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
