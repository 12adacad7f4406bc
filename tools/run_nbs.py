"""Execute notebooks in place and keep their outputs, skipping `slow` and nbdev_export cells like nbdev_test (RUN_SLOW=1 runs slow cells too).

usage (from nbs/): ls *.ipynb | OMP_NUM_THREADS=1 xargs -P 2 -n 1 python ../tools/run_nbs.py, then nbdev_clean
"""
import sys, os, re
from pathlib import Path
os.environ['IN_TEST'] = '1'
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.parallel import parallel

def _no_eval(cell):
    if cell.cell_type != 'code': return True
    if 'nbdev_export'+'(' in cell.source: return True
    if os.environ.get('RUN_SLOW') and re.search(r'(?m)^#\|\s*slow\b', cell.source): return False
    return bool(re.search(r'(?m)^#\|\s*(slow|eval:\s*false)\b', cell.source))

def run(fn):
    fn = Path(fn).resolve()
    os.chdir(fn.parent)
    nb = read_nb(fn)
    k = CaptureShell(fn)
    k.run_all(nb, exc_stop=True, preproc=_no_eval)
    write_nb(nb, fn)
    return fn.name

if __name__ == '__main__':
    for f in sys.argv[1:]: print(run(f), flush=True)
