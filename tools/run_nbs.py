"""Refresh the committed outputs: execute notebooks in place with a real Jupyter kernel (nbclient).

usage: python tools/run_nbs.py [--slow] [--jobs N] [--keep-going] [NOTEBOOK ...]   (default: every notebook in nbs/)

A real kernel is what a learner runs, so fastai writes its HTML epoch table and fastprogress's bar
leaves nothing behind (execnb's console shell stored every carriage-return frame instead). Like
`nbdev-test`, cells marked `#| slow` are skipped and keep their committed outputs unless `--slow`
is given, and the `nbdev_export()` cell is not run. Each kernel runs one thread (OMP_NUM_THREADS=1,
as nbdev-test gives each of its workers on two cores) with IN_TEST=1. Afterwards run `nbdev-clean`.
"""
import argparse, os, re, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import nbformat
from nbclient import NotebookClient

NBS = Path(__file__).resolve().parent.parent/'nbs'
_SLOW = re.compile(r'(?m)^#\|\s*slow\b')
_SKIP = re.compile(r'(?m)^#\|\s*eval:\s*false\b')

def skip(cell, slow:bool)->bool:
    "True for cells `nbdev-test` would not run: the export call, `eval: false`, and `slow` unless `slow`"
    if cell.cell_type != 'code': return True
    s = cell.source
    if 'nbdev_export' + '(' in s or _SKIP.search(s): return True
    return bool(_SLOW.search(s)) and not slow

class Client(NotebookClient):
    "An nbclient that leaves the cells `skip` names untouched, committed outputs included"
    slow = False
    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if skip(cell, self.slow): return cell
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

def run(fn, slow:bool=False, keep_going:bool=False)->str:
    "Execute notebook `fn` in place with a fresh python3 kernel; return a one-line summary"
    fn, t0 = Path(fn).resolve(), time.time()
    nb = nbformat.read(fn, as_version=4)
    c = Client(nb, timeout=None, kernel_name='python3', allow_errors=keep_going,
               resources={'metadata': {'path': str(fn.parent)}})
    c.slow = slow
    c.execute()
    nbformat.write(nb, fn)
    errs = [i for i, cell in enumerate(nb.cells) if any(o.get('output_type') == 'error' for o in cell.get('outputs', []))]
    return f"{fn.name}: {time.time() - t0:.0f} s" + (f", ERRORS in cells {errs}" if errs else '')

_BAR = re.compile(r'^.*\|[-\u2588 ]*\| *\d+\.\d+% \[\d+/\d+.*$')

def strip_progress(fn)->int:
    "Fallback for outputs written by a console shell: keep what each `\\r` line ends as, drop bar lines; return outputs changed"
    nb, n = nbformat.read(fn, as_version=4), 0
    for cell in nb.cells:
        for o in cell.get('outputs', []):
            if o.get('output_type') != 'stream': continue
            lines = [l.split('\r')[-1] if l.split('\r')[-1].strip() else next((x for x in reversed(l.split('\r')) if x.strip()), '')
                     for l in o.text.split('\n')]
            new = '\n'.join(l for l in lines if not _BAR.match(l))
            if new != o.text: o.text, n = new, n + 1
        cell['outputs'] = [o for o in cell.get('outputs', []) if not (o.get('output_type') == 'stream' and not o.text.strip())]
    nbformat.write(nb, fn)
    return n

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('notebooks', nargs='*', help='notebooks to run (default: all of nbs/)')
    p.add_argument('--slow', action='store_true', help='run `#| slow` cells too')
    p.add_argument('--jobs', type=int, default=os.cpu_count(), help='notebooks run at once')
    p.add_argument('--keep-going', action='store_true', help='run past a failing cell and store its error (to see every failure at once)')
    p.add_argument('--strip', action='store_true', help='execute nothing: only drop console progress frames from stored outputs')
    a = p.parse_args()
    if a.strip:
        for f in a.notebooks: print(f"{Path(f).name}: {strip_progress(Path(f))} outputs cleaned")
        return
    os.environ.update(IN_TEST='1', OMP_NUM_THREADS='1')
    fns = a.notebooks or sorted(str(f) for f in NBS.glob('*.ipynb'))
    with ProcessPoolExecutor(a.jobs) as ex:
        futs = {f: ex.submit(run, f, a.slow, a.keep_going) for f in fns}
        failed = []
        for f, fut in futs.items():
            try: print(fut.result(), flush=True)
            except Exception as e:
                failed.append(f); print(f"{Path(f).name}: FAILED: {str(e).strip().splitlines()[-1][:300]}", file=sys.stderr, flush=True)
    if failed: sys.exit(f"{len(failed)} notebook(s) failed; their files were left as they were")

if __name__ == '__main__': main()
