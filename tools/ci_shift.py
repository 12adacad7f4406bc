"""The seed shift of CI's second notebook pass, derived from the commit being tested, so that no one chooses it.

usage: python3 tools/ci_shift.py        prints the shift (stdout) and where it came from (stderr)

The notebooks run first as committed (shift 0), then at this shift: another trajectory, as another CPU,
thread count or PyTorch build would give. A shift that a maintainer picks can be the one where the asserts
happen to pass; this one moves with every commit. To reproduce a failure, run the notebook with the shift
the log printed: `HUMANNUMS_SEED_SHIFT=N nbdev-test nbs/NB.ipynb`. Without git (an unpacked
archive) the shift comes from the notebooks' bytes instead.
"""
import hashlib, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LO, SPAN = 10000, 90000  # shifts 10000..99999: never 0, never 1000 (the old fixed pass), none of the sweep's 103, 203, ... 9903

def source_id()->tuple:
    "The commit's hash, or a hash of the notebooks where there is no git: (hex digest, what it is)"
    try:
        sha = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        if sha: return sha, f'commit {sha[:12]}'
    except (OSError, subprocess.CalledProcessError): pass
    h = hashlib.sha256()
    for p in sorted((ROOT/'nbs').glob('*.ipynb')): h.update(p.read_bytes())
    return h.hexdigest(), 'the notebooks\' bytes (no git here)'

def ci_shift(digest:str)->int:
    "The shift for a hex digest: LO + digest mod SPAN"
    return LO + int(digest, 16) % SPAN

if __name__ == '__main__':
    digest, what = source_id()
    s = ci_shift(digest)
    print(f'HUMANNUMS_SEED_SHIFT={s}, derived from {what} (tools/ci_shift.py)', file=sys.stderr)
    print(s)
