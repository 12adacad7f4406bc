"""Run notebooks at many seed shifts and report every finding's range and every failure.

usage: python tools/sweep.py [NOTEBOOK ...] [--shifts N] [--first K] [--jobs J] [--slow] [--report-only]
       (default: every notebook in nbs/, 20 shifts, one job per core)

A seed fixes a trajectory on one machine only; another CPU, thread count or PyTorch build is another
trajectory, exactly like another `HUMANNUMS_SEED_SHIFT`. So a finding about trained models (00_data's
`finding`) may be asserted only where it holds on every trajectory a sweep tried. This tool runs each
notebook as `nbdev-test` runs it (same skipped cells, one thread per process, the jobs in parallel) at the
shifts 103, 203, ... (N of them; never 0, the committed outputs' shift, nor one of CI's commit-derived shifts,
10000 and up (tools/ci_shift.py), and spaced so that no two shifts share a seed of the series' 42, 1, 2), with:

- `HUMANNUMS_FINDINGS_RAISE=0`: a finding that fails does not stop the notebook, so every finding is measured;
- `HUMANNUMS_FINDINGS=tools/sweep/runs/NB@SHIFT.jsonl`: each measurement is logged there.

Any other failure (a fact, an exception) stops that notebook and is reported with its cell and error.
The report, `tools/sweep/report.md`, lists per finding the measured range over the shifts, the mean and
spread, the bar and its margin from the worst value in standard deviations, and every failure with its
notebook, shift and message. The raw measurements stay in `tools/sweep/runs/` (committed: `--report-only`
rebuilds the report from them; a new sweep of a notebook replaces that notebook's files only for the
shifts it ran), and `tools/sweep/runs.json` records every run's outcome and time.
"""
import argparse, json, os, re, statistics, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS, OUT = ROOT/'nbs', ROOT/'tools'/'sweep'
RUNS = OUT/'runs'

def shifts(n:int, first:int=1)->list:
    "The sweep's shifts: 103, 203, ... (n of them from the `first`th), never 0"
    return [k*100 + 3 for k in range(first, first + n)]

_RUNNER = r"""
import sys
from nbdev.test import test_nb
ok, t = test_nb(sys.argv[1], skip_flags=sys.argv[2].split(), showerr=True)
print(f'@@time {t:.1f}')
sys.exit(0 if ok else 1)
"""

def run_one(nb:Path, shift:int, slow:bool)->dict:
    "Run `nb` at `shift` as nbdev-test would, logging its findings; what happened, in one record"
    log = RUNS/f'{nb.stem}@{shift}.jsonl'
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    env = {**os.environ, 'HUMANNUMS_SEED_SHIFT': str(shift), 'HUMANNUMS_FINDINGS': str(log),
           'HUMANNUMS_FINDINGS_RAISE': '0', 'OMP_NUM_THREADS': '1', 'IN_TEST': '1'}
    t0 = time.time()
    p = subprocess.run([sys.executable, '-c', _RUNNER, str(nb), '' if slow else 'slow'], cwd=NBS, env=env,
                       capture_output=True, text=True)
    err = '' if p.returncode == 0 else _last_error(p.stderr + p.stdout)
    return dict(nb=nb.stem, shift=shift, ok=p.returncode == 0, seconds=round(time.time() - t0, 1), error=err,
                aten=os.environ.get('ATEN_CPU_CAPABILITY') or 'auto')

def _last_error(text:str)->str:
    "The failing cell and the error's last line from an execnb traceback"
    lines = [l for l in text.splitlines() if l.strip()]
    errs = [l for l in lines if re.match(r'\w*(Error|Exception)\b', l.strip())]
    cell = next((l.strip() for l in reversed(lines) if l.strip().startswith('Cell In[')), '')
    return ' | '.join(filter(None, [cell, (errs[-1] if errs else lines[-1] if lines else '?').strip()]))[:400]

def load(runs:Path=None)->list:
    "Every logged measurement, with its notebook"
    res, runs = [], runs or RUNS
    for f in sorted(runs.glob('*.jsonl')):
        nb = f.stem.split('@')[0]
        res += [dict(nb=nb, **json.loads(l)) for l in f.read_text().splitlines() if l.strip()]
    return res

def summarize(rows:list)->list:
    "Per finding: shifts, range, mean, spread, the bar its notebook sets now, failures against it, and its margin"
    from humannums_fastai.data import finding_bars, bar_margin, _OPS
    by, bars = {}, {}
    for r in rows: by.setdefault((r['nb'], r['name']), []).append(r)
    out = []
    for (nb, name), rs in sorted(by.items()):
        if nb not in bars: bars[nb] = finding_bars(NBS/f'{nb}.ipynb') if (NBS/f'{nb}.ipynb').exists() else {}
        v = [r['measured'] for r in rs]
        op, thr, asserted = bars[nb].get(name, (rs[-1]['op'], rs[-1]['threshold'], rs[-1].get('asserted', True)))
        out.append(dict(nb=nb, name=name, n=len(v), shifts=len({r['shift'] for r in rs}), lo=min(v), hi=max(v),
                        mean=statistics.fmean(v), sd=statistics.stdev(v) if len(v) > 1 else 0., op=op, threshold=thr,
                        asserted=asserted, fails=sum(not _OPS[op](x, thr) for x in v), margin=bar_margin(v, op, thr),
                        in_code=name in bars[nb]))
    return out

def report(results:list=None)->str:
    "The markdown report over every logged run (and the failures of `results`, if given)"
    s = summarize(load())
    lines = ['# Sweep report', '',
             'Written by `python tools/sweep.py` (see its docstring); every finding that a notebook checks with',
             "`finding(...)`, measured at each shift of the sweep. The bar is the one the notebook's code sets now",
             "(`finding_bars`), and `fails` counts the shifts whose value misses it. `margin` is the distance from the",
             'worst value measured to the bar, in standard deviations of the measured spread (for a floor on values',
             'that span over 5x, of their log10: "(log)"). A finding is asserted only with a margin of 3 or more; one marked',
             '"shown" (`asserted=False`) is measured and discussed in its notebook, never asserted.', '',
             '| notebook | finding | shifts | range | mean ± sd | bar | asserted | fails | margin (sd) |', '|---|---|---|---|---|---|---|---|---|']
    for r in s:
        lines.append(f"| {r['nb']} | {r['name'].replace('|', chr(92) + '|')} | {r['shifts']} | {r['lo']:.4g} to {r['hi']:.4g} | "
                     f"{r['mean']:.4g} ± {r['sd']:.2g} | {r['op']} {r['threshold']:.4g} | "
                     f"{('yes' if r['asserted'] else 'shown') + ('' if r['in_code'] else ' (bar as logged: none literal in the code)')} | {r['fails']} | {r['margin']} |")
    if results is not None:
        bad = [r for r in results if not r['ok']]
        lines += ['', f'## Runs: {len(results)}, failed {len(bad)}', '']
        lines += [f"- `{r['nb']}` at shift {r['shift']} ({r['seconds']} s): {r['error']}" for r in bad] or ['- none']
    from humannums_fastai.data import _OPS
    cur = {(r['nb'], r['name']): r for r in s}
    fails = [(x['nb'], x['name'], x['shift'], x['measured'], cur[x['nb'], x['name']]) for x in load()]
    fails = [(nb, nm, sh, m, c) for nb, nm, sh, m, c in fails if c['asserted'] and not _OPS[c['op']](m, c['threshold'])]
    lines += ['', '## Asserted findings that fail at a shift of the sweep, against the bars in the code now', '']
    lines += [f"- `{nb}` at shift {sh}: {nm!r} measured {m:.4g}, needs {c['op']} {c['threshold']:.4g}" for nb, nm, sh, m, c in fails] or ['- none']
    return '\n'.join(lines) + '\n'

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('notebooks', nargs='*', help='notebooks to run (default: all in nbs/)')
    ap.add_argument('--shifts', type=int, default=20, help='how many shifts (default 20)')
    ap.add_argument('--first', type=int, default=1, help='start at the first-th shift of the series 103, 203, ...')
    ap.add_argument('--jobs', type=int, default=len(os.sched_getaffinity(0)), help='runs at once (default: one per core)')
    ap.add_argument('--slow', action='store_true', help='run the cells marked #| slow too')
    ap.add_argument('--report-only', action='store_true', help='rebuild the report from tools/sweep/runs/')
    a = ap.parse_args(argv)
    results = None
    if not a.report_only:
        nbs = [Path(n).resolve() for n in a.notebooks] or sorted(p for p in NBS.glob('*.ipynb') if p.stem != 'index')
        todo = [(nb, sh) for sh in shifts(a.shifts, a.first) for nb in nbs]
        print(f"{len(todo)} runs: {len(nbs)} notebooks x shifts {shifts(a.shifts, a.first)}, {a.jobs} at once", flush=True)
        def go(job):
            r = run_one(*job, a.slow)
            print(f"{'ok  ' if r['ok'] else 'FAIL'} {r['nb']} @ {r['shift']} ({r['seconds']} s) {r['error']}", flush=True)
            return r
        with ThreadPoolExecutor(a.jobs) as ex: new = list(ex.map(go, todo))
        ok = all(r['ok'] for r in new)
        old = json.loads((OUT/'runs.json').read_text()) if (OUT/'runs.json').exists() else []
        runs = {(r['nb'], r['shift']): r for r in old + new}  # this sweep's runs replace earlier ones of the same notebook and shift
        results = [runs[k] for k in sorted(runs)]
        (OUT/'runs.json').write_text(json.dumps(results, indent=1) + '\n')
    else:
        results = json.loads((OUT/'runs.json').read_text()) if (OUT/'runs.json').exists() else None
        ok = results is None or all(r['ok'] for r in results)
    (OUT/'report.md').write_text(report(results))
    print(f"wrote {(OUT/'report.md').relative_to(ROOT)}")
    return 0 if ok else 1

if __name__ == '__main__': sys.exit(main())
