"""Write README.md from nbs/index.ipynb, or check that they agree (`--check`).

nbdev_readme renders through quarto, which cannot be installed here (PyPI's quarto-cli downloads
at build time). This does the same job for our index notebook: markdown cells as they are, code
cells as ```python blocks. The README is generated, never edited by hand.
"""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def render(nb_path=root/'nbs'/'index.ipynb') -> str:
    cells = json.loads(Path(nb_path).read_text())['cells']
    out = ['<!-- generated from nbs/index.ipynb by tools/readme.py: do not edit -->']
    for c in cells:
        src = ''.join(c['source']).strip()
        if not src or src.startswith('#| hide'): continue
        out.append(src if c['cell_type'] == 'markdown' else f"```python\n{src}\n```")
    return '\n\n'.join(out) + '\n'

if __name__ == '__main__':
    readme, txt = root/'README.md', render()
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != txt:
            sys.exit("README.md does not match nbs/index.ipynb: run `python tools/readme.py` and commit README.md")
        print("README.md matches nbs/index.ipynb")
    else:
        readme.write_text(txt); print(f"wrote {readme}")
