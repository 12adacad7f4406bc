"""Build the course site from the notebooks' committed outputs (nothing is executed), strictly: any warning fails.

usage: python tools/docs.py [OUTDIR]     (OUTDIR defaults to settings.ini's doc_path, _docs/)
then:  python -m http.server -d _docs    and open http://localhost:8000

Sphinx + myst-nb + sphinx-book-theme (tools/docs/conf.py): it installs from PyPI and builds offline,
where nbdev_docs needs quarto. The doctree cache goes to a temporary folder, so every build is fresh.
"""
import configparser, shutil, sys, tempfile, time
from pathlib import Path
from sphinx.cmd.build import build_main
import myst_nb.sphinx_ext

root = Path(__file__).resolve().parent.parent
cfg = configparser.ConfigParser(); cfg.read(root/'settings.ini'); cfg = cfg['DEFAULT']

if __name__ == '__main__':
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else root/cfg['doc_path']
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.time()
    with tempfile.TemporaryDirectory() as doctrees:
        # myst-nb writes each output image to OUTDIR/../jupyter_execute before Sphinx copies it into OUTDIR/_images:
        # keep that scratch copy in the temporary folder, not next to _docs/ in the repository
        myst_nb.sphinx_ext.OUTPUT_FOLDER = str(Path(doctrees)/'jupyter_execute')
        rc = build_main(['-W', '--keep-going', '-q', '-b', 'html', '-c', str(root/'tools'/'docs'), '-d', doctrees,
                         str(root/cfg['nbs_path']), str(out)])
    if rc: sys.exit(f'site build failed (warnings are errors): {rc}')
    mb = sum(f.stat().st_size for f in out.rglob('*') if f.is_file()) / 1e6
    print(f"built {out} in {time.time()-t0:.1f} s: {len(list(out.glob('*.html')))} pages, {mb:.1f} MB")
