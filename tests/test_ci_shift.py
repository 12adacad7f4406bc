"CI's second notebook pass runs at a shift derived from the commit (issue 19, item 5): never a fixed one"
import re, subprocess, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'tools'))
import ci_shift

def test_shift_moves_with_the_commit_and_stays_in_range():
    digests = ['0'*40, 'f'*40, '8d01bd2ce0574fa1b6e5c1b0a1f0e2d3c4b5a697', '8d01bd2ce0574fa1b6e5c1b0a1f0e2d3c4b5a698']
    shifts = [ci_shift.ci_shift(d) for d in digests]
    assert all(ci_shift.LO <= s < ci_shift.LO + ci_shift.SPAN for s in shifts), shifts
    assert len(set(shifts)) == len(shifts), shifts  # neighbouring commits get different shifts
    assert 0 not in shifts and 1000 not in shifts

def test_script_prints_the_shift_and_where_it_came_from():
    p = subprocess.run([sys.executable, str(ROOT/'tools'/'ci_shift.py')], capture_output=True, text=True, check=True)
    s = int(p.stdout.strip())
    assert ci_shift.LO <= s < ci_shift.LO + ci_shift.SPAN, s
    assert f'HUMANNUMS_SEED_SHIFT={s}' in p.stderr, p.stderr
    digest, what = ci_shift.source_id()
    assert s == ci_shift.ci_shift(digest), (s, what)

def test_readme_and_ci_use_the_derived_shift():
    for f in ['README.md', '.ci/run']:
        text = (ROOT/f).read_text()
        assert 'tools/ci_shift.py' in text, f
        assert not re.search(r'HUMANNUMS_SEED_SHIFT=\d', text), f  # no fixed shift for the second pass
