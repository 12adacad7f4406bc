"""Check the committed notebooks as a learner reads them; exit 1 with one line per problem.

usage: python tools/check_nbs.py [NOTEBOOK ...]   (default: every notebook in nbs/)

- every decimal figure in a markdown cell (0.78, 2.6x, 45.1%) appears in an output or in the code
  of the same notebook, rounded to the digits the prose gives, unless it is marked as quoted from
  a source: `[published]` after it, or a line that starts with `> Published:`;
- no stored output holds carriage-return progress frames or fastprogress's console bar;
- no stored image is over 150 KB or wider than 1600 px.
"""
import base64, json, re, struct, sys
from pathlib import Path

NBS = Path(__file__).resolve().parent.parent/'nbs'
MAX_IMG_BYTES, MAX_IMG_WIDTH = 150_000, 1600
FIG = re.compile(r'(?<![\w.])(\d+\.\d+)(?![\w.]*\d)')  # a decimal figure, not part of a version or a name
VERSION = re.compile(r'(?i)(?:nbdev|fastai|fastcore|torch|torchvision|python|pytorch|version|v)\s*[<>=]*\s*$')
NUM = re.compile(r'-?\d+\.\d+(?:e-?\d+)?|-?\d+')
QUOTED = re.compile(r'\[published\]')
BAR = re.compile(r'\|[-\u2588 ]*\| *\d+\.\d+% \[\d+/\d+')
CODE_SPAN = re.compile(r'`[^`\n]*`')

def _text(x): return ''.join(x) if isinstance(x, list) else (x or '')

def outputs_text(cell)->str:
    "Every text a code cell's outputs show: streams, plain text, HTML, markdown"
    out = []
    for o in cell.get('outputs', []):
        if 'text' in o: out.append(_text(o['text']))
        for k, v in o.get('data', {}).items():
            if k.startswith('text/'): out.append(_text(v))
    return '\n'.join(out)

def shown(nb)->set:
    "The numbers a notebook's outputs and code show, as strings at every rounding they support"
    nums = set()
    for c in nb['cells']:
        if c['cell_type'] != 'code': continue
        for m in NUM.findall(outputs_text(c)):
            try: v = float(m)
            except ValueError: continue
            for scale in (1, 100):  # a share in the output may be a percentage in the prose
                for d in range(0, 7): nums.add(f"{v*scale:.{d}f}"); nums.add(f"{-v*scale:.{d}f}")
            nums.add(m.lstrip('-'))
    return nums

def figures(md:str):
    "Decimal figures of a markdown cell that need an output behind them"
    for line in md.splitlines():
        if line.lstrip().startswith('> Published:'): continue
        line = QUOTED.sub('', re.sub(r'(\d+\.\d+)(?:\s*(?:-|to|and)\s*\d+\.\d+)?\s*\[published\]', '', line))  # a range counts as one figure
        for m in FIG.finditer(line):
            if not VERSION.search(line[:m.start()]): yield m.group(1)  # `nbdev 2.4` is a version, not a figure

def png_size(b:bytes):
    "(width, height) of PNG bytes"
    return struct.unpack('>II', b[16:24])

def check(fn)->list:
    nb, probs = json.loads(Path(fn).read_text()), []
    nums = shown(nb)
    for i, c in enumerate(nb['cells']):
        if c['cell_type'] == 'markdown':
            for f in figures(_text(c['source'])):
                if f not in nums: probs.append(f"{fn.name} cell {i}: the figure {f} in the prose appears in no output or code of the notebook")
            continue
        for o in c.get('outputs', []):
            t = _text(o.get('text', '')) + _text(o.get('data', {}).get('text/plain', ''))
            if '\r' in t: probs.append(f"{fn.name} cell {i}: an output holds carriage-return progress frames")
            if BAR.search(t): probs.append(f"{fn.name} cell {i}: an output holds fastprogress's console bar")
            png = o.get('data', {}).get('image/png')
            if png:
                b = base64.b64decode(_text(png)); w, h = png_size(b)
                if len(b) > MAX_IMG_BYTES: probs.append(f"{fn.name} cell {i}: an image of {len(b)//1000} KB (max {MAX_IMG_BYTES//1000} KB)")
                if w > MAX_IMG_WIDTH: probs.append(f"{fn.name} cell {i}: an image {w} px wide (max {MAX_IMG_WIDTH})")
    return probs

def main():
    fns = [Path(f).resolve() for f in sys.argv[1:]] or sorted(NBS.glob('*.ipynb'))
    probs = [p for f in fns for p in check(f)]
    for p in probs: print(p)
    if probs: sys.exit(f"{len(probs)} problem(s) in the committed notebooks")
    print(f"{len(fns)} notebooks: every prose figure shown, no progress frames, images within limits")

if __name__ == '__main__': main()
