"The committed notebooks as a learner reads them: every prose figure shown by an output, no progress frames, light images"
import subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'tools'))
import check_nbs

def test_committed_notebooks():
    probs = [p for f in sorted((ROOT/'nbs').glob('*.ipynb')) for p in check_nbs.check(f)]
    assert not probs, '\n'.join(probs)

def test_check_catches_an_unshown_figure(tmp_path):
    import json
    nb = {'cells': [{'cell_type': 'markdown', 'source': 'It scored 0.8123, the book 0.505 [published].', 'metadata': {}},
                    {'cell_type': 'code', 'source': 'x', 'metadata': {}, 'outputs': [{'output_type': 'stream', 'name': 'stdout', 'text': '0.7\r0.9\n'}]}],
          'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}
    fn = tmp_path/'x.ipynb'; fn.write_text(json.dumps(nb))
    probs = check_nbs.check(fn)
    assert any('0.8123' in p for p in probs) and not any('0.505' in p for p in probs)
    assert any('carriage-return' in p for p in probs)
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'check_nbs.py'), str(fn)], capture_output=True, text=True)
    assert r.returncode == 1 and '0.8123' in r.stdout
