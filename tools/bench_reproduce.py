"""Time `humannums reproduce` against the fastai book's own code, side by side in one run (issue 13's targets).

usage: python tools/bench_reproduce.py [--reps N] [--default]

Each line is one command run as its own process, wall time from start to exit (imports included):
the book's chapter 12 code for LMModel1-7 with fastai's defaults (`tools/book_lmmodels.py`), then
`humannums reproduce --seeds 42` over the same seven models with `--jobs 2` and `--jobs 1`, and with
`--default` the default run (10 models x 3 seeds) with `--jobs 2` and `--jobs 1`. The load average
printed after each line shows whether something else was using the CPU meanwhile.
"""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
BOOK = [f'lmmodel{i}' for i in range(1, 8)]

def timed(label, cmd, cwd):
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    s = time.perf_counter() - t
    print(f"{label:44} {s:7.1f} s  rc {r.returncode}  load {os.getloadavg()[0]:.2f}", flush=True)
    if r.returncode: print(r.stderr[-2000:])
    return s

if __name__ == '__main__':
    p = argparse.ArgumentParser(); p.add_argument('--reps', type=int, default=1); p.add_argument('--default', action='store_true')
    a = p.parse_args()
    print(f"{os.cpu_count()} cores; torch threads: default for the book's code, one per worker for reproduce")
    for rep in range(a.reps):
        d = Path(tempfile.mkdtemp())
        book = timed("book's code, LMModel1-7", [sys.executable, str(HERE/'book_lmmodels.py')], d)
        j2 = timed('reproduce LMModel1-7 --seeds 42 --jobs 2', [str(BIN/'humannums'), 'reproduce', '--models', *BOOK, '--seeds', '42', '--out', str(d/'j2'), '--jobs', '2'], d)
        j1 = timed('reproduce LMModel1-7 --seeds 42 --jobs 1', [str(BIN/'humannums'), 'reproduce', '--models', *BOOK, '--seeds', '42', '--out', str(d/'j1'), '--jobs', '1'], d)
        print(f"ratio to the book's code: --jobs 2 {j2/book:.2f}, --jobs 1 {j1/book:.2f}; speed-up of --jobs 2 over 1: {j1/j2:.2f}")
        if a.default:
            f2 = timed('reproduce (default: 10 models x 3 seeds) --jobs 2', [str(BIN/'humannums'), 'reproduce', '--out', str(d/'f2'), '--jobs', '2'], d)
            f1 = timed('reproduce (default: 10 models x 3 seeds) --jobs 1', [str(BIN/'humannums'), 'reproduce', '--out', str(d/'f1'), '--jobs', '1'], d)
            print(f"default run: speed-up of --jobs 2 over 1: {f1/f2:.2f}")
