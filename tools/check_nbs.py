"""Check the committed notebooks as a learner reads them; exit 1 with one line per problem.

usage: python tools/check_nbs.py [NOTEBOOK ...]   (default: every notebook in nbs/)

- every decimal figure in a markdown cell (0.78, 2.6x, 45.1%) appears in an output or in the code
  of the same notebook, rounded to the digits the prose gives, unless it is marked as quoted from
  a source: `[published]` after it, or a line that starts with `> Published:`;
- no stored output holds carriage-return progress frames or fastprogress's console bar;
- no stored image is over 150 KB or wider than 1600 px;
- no visible cell uses a name that only a hidden (`#| hide`) cell defines: a reader of the page (or the
  site) sees every import and definition the code they read depends on;
- every image a markdown cell links to under `images/` exists.
"""
import ast, base64, builtins, json, re, struct, sys
from pathlib import Path

NBS = Path(__file__).resolve().parent.parent/'nbs'
MAX_IMG_BYTES, MAX_IMG_WIDTH = 150_000, 1600
FIG = re.compile(r'(?<![\w.])(\d+\.\d+(?:e[-+]?\d+)?)(?![\w.]*\d)')  # a decimal figure (or 2.4e-03), not part of a version or a name
VERSION = re.compile(r'(?i)(?:nbdev|fastai|fastcore|torch|torchvision|python|pytorch|version|v)\s*(?:[<>=]+\s*[\d.]+\s*,\s*)?[<>=]*\s*$')  # `fastai>=2.8.8,<2.9`
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
            for d in range(0, 5): nums.add(f"{abs(v):.{d}e}")  # 0.0036 as 3.6e-03
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

HIDE = re.compile(r'^\s*#\s*\|\s*hide\s*$', re.M)
IMG = re.compile(r'!\[[^\]]*\]\((images/[^)\s]+)\)|<img[^>]*src="(images/[^"]+)"')

def _tree(code:str):
    "The AST of a code cell, without its IPython `!` and `%` lines; None if it does not parse"
    code = '\n'.join('' if l.lstrip().startswith(('!', '%')) else l for l in code.splitlines())
    try: return ast.parse(code)
    except SyntaxError: return None

def names(tree):
    "(names a cell defines, names it reads)"
    defs, uses = set(), set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name): (defs if isinstance(n.ctx, (ast.Store, ast.Del)) else uses).add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)): defs.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            defs |= {(a.asname or a.name).split('.')[0] for a in n.names}
        elif isinstance(n, ast.arg): defs.add(n.arg)
        elif isinstance(n, ast.ExceptHandler) and n.name: defs.add(n.name)
    return defs, uses

def hidden_names(nb)->list:
    "(cell index, name) for each name a visible cell reads that only hidden cells define"
    hid, vis, reads = set(), set(), []
    for i, c in enumerate(nb['cells']):
        if c['cell_type'] != 'code': continue
        src = _text(c['source']); tree = _tree(src)
        if tree is None: continue
        defs, uses = names(tree)
        if HIDE.search(src): hid |= defs
        else: vis |= defs; reads.append((i, uses))
    return [(i, n) for i, uses in reads for n in sorted(uses & hid - vis - set(dir(builtins)))]

def check(fn)->list:
    nb, probs = json.loads(Path(fn).read_text()), []
    for i, n in hidden_names(nb): probs.append(f"{fn.name} cell {i}: uses `{n}`, which only a hidden cell defines")
    nums = shown(nb)
    for i, c in enumerate(nb['cells']):
        if c['cell_type'] == 'markdown':
            for m in IMG.finditer(_text(c['source'])):
                if not (Path(fn).parent/(m.group(1) or m.group(2))).exists(): probs.append(f"{fn.name} cell {i}: the image {m.group(1) or m.group(2)} does not exist")
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
    print(f"{len(fns)} notebooks: every prose figure shown, no progress frames, images within limits, no hidden names")

if __name__ == '__main__': main()
