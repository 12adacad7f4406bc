"""Build the course site from the notebooks' committed outputs (nothing is executed), strictly: any warning fails.

usage: python tools/docs.py [OUTDIR]     (OUTDIR defaults to settings.ini's doc_path, _docs/)
then:  python -m http.server -d _docs    and open http://localhost:8000

Sphinx + myst-nb + sphinx-book-theme (tools/docs/conf.py): it installs from PyPI and builds offline,
where nbdev_docs needs quarto. The doctree cache goes to a temporary folder, so every build is fresh.

The playground page (nbs/15_playground.ipynb) gets its live panel from site/: playground.js and .css, the
models that notebook exported (site/models/), and ONNX Runtime Web's WebAssembly build from the npm registry,
installed from site/package-lock.json with `npm ci` when site/node_modules is missing. They are copied to
OUTDIR/playground/, which only the playground page loads.
"""
import configparser, json, shutil, subprocess, sys, tempfile, time
from pathlib import Path
from sphinx.cmd.build import build_main
import myst_nb.sphinx_ext

root = Path(__file__).resolve().parent.parent
cfg = configparser.ConfigParser(); cfg.read(root/'settings.ini'); cfg = cfg['DEFAULT']

site_src = root/'site'
ORT_FILES = ('ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm')  # the WebAssembly build only

def ort_dist()->Path:
    "onnxruntime-web's dist/ folder, installed by `npm ci` from the lock file when it is missing or another version"
    pkg = site_src/'node_modules'/'onnxruntime-web'
    want = json.loads((site_src/'package-lock.json').read_text())['packages']['node_modules/onnxruntime-web']['version']
    have = json.loads((pkg/'package.json').read_text())['version'] if (pkg/'package.json').exists() else None
    if have != want:
        npm = shutil.which('npm')
        if not npm: sys.exit('the playground needs onnxruntime-web from npm: install Node.js (npm), or run `npm ci` in site/')
        print(f'npm ci in {site_src} (onnxruntime-web {want})', flush=True)
        subprocess.run([npm, 'ci', '--no-audit', '--no-fund', '--ignore-scripts'], cwd=site_src, check=True)
    return pkg/'dist'

def copy_playground(out:Path):
    "The live panel's files into OUTDIR/playground/: its script and style, the exported models, ONNX Runtime Web"
    dst = out/'playground'
    (dst/'ort').mkdir(parents=True)
    for f in ('playground.js', 'playground.css'): shutil.copy2(site_src/f, dst/f)
    shutil.copytree(site_src/'models', dst/'models')
    dist = ort_dist()
    for f in ORT_FILES: shutil.copy2(dist/f, dst/'ort'/f)

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
    copy_playground(out)
    mb = sum(f.stat().st_size for f in out.rglob('*') if f.is_file()) / 1e6
    print(f"built {out} in {time.time()-t0:.1f} s: {len(list(out.glob('*.html')))} pages, {mb:.1f} MB")
