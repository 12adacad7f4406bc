"""The nbdev conventions, applied to a notebook's JSON as Sphinx reads it (conf.py's `source-read` hook).

quarto's nbdev_docs does this for nbdev sites; here the committed notebooks are read as they are (no copies,
nothing executed) and only what Sphinx/myst-nb is given changes:
- `#| hide` and `#| default_exp` cells are dropped; every other `#|` line is removed from shown source;
- `show_doc(...)` cells keep their output only (the rendered signature and docstring);
- `#| slow` cells get a note that they run only with `nbdev-test --flags slow`; prose naming `#| slow`
  reads "the `slow` flag" and `#| eval: false` "marked `eval: false`", so no `#|` text reaches a page;
- under the title: the module the notebook exports to, and a link to download the notebook;
- console progress-bar frames (fastprogress under execnb) and leftover HTML progress bars are dropped
  from outputs, so a training cell shows fastai's epoch table and nothing else;
- an inline `` `04_stateful_rnn` `` naming a notebook of the series becomes a link to its page.
"""
import json, re

DIRECTIVE = re.compile(r'^\s*#\s?\|\s*([\w-]+):?\s*(.*?)\s*$')
# fastprogress's console bar: `Epoch 1/15 : |████----| 10.20% [5/49 00:00<00:00... 3.36]`
BAR = re.compile(r'(Epoch \d+/\d+ :)?\s*\|[█\-]*\|\s*\d+\.\d+%\s*\[\d+/\d+[^\]\n\r]*\]')
EMPTY_FRAME = re.compile(r'^[\s█]*(Epoch \d+/\d+ :)?[\s█]*$')
HTML_BAR = re.compile(r'<progress[^>]*>.*?</progress>[^<]*', re.S)
FENCE = re.compile(r'(?ms)^(```|~~~).*?^\1')

def directives(src):
    "{name: value} of a cell's `#| name value` lines"
    return {m[1]: m[2] for m in map(DIRECTIVE.match, src.splitlines()) if m}

def strip_directives(src):
    return '\n'.join(l for l in src.splitlines() if not DIRECTIVE.match(l)).strip('\n')

def clean_stream(text):
    "What a terminal finally shows: each line's last frame after `\\r`, progress bars and their blank frames dropped."
    out = []
    for line in text.split('\n'):
        frames = [f for f in (BAR.sub('', f) for f in line.split('\r')) if not EMPTY_FRAME.match(f)]
        if frames: out.append(frames[-1])
        elif '\r' not in line and not BAR.search(line): out.append(line)  # a real blank line
    return '\n'.join(out)

def clean_outputs(outputs):
    keep = []
    for o in outputs:
        if o.get('output_type') == 'stream':
            o['text'] = clean_stream(''.join(o['text']))
            if not o['text'].strip(): continue
        html = o.get('data', {}).get('text/html')
        if html is not None:
            html = HTML_BAR.sub('', ''.join(html))
            # a progress bar's output, now only its <style>: nothing to show
            if not re.sub(r'(?s)<style.*?</style>|<[^>]+>', '', html).strip() and not re.search(r'<(img|svg|video|iframe)', html): continue
            o['data']['text/html'] = html
        keep.append(o)
    return keep

def md_cell(src, n=[0]):
    n[0] += 1
    return {'cell_type': 'markdown', 'id': f'site-{n[0]}', 'metadata': {}, 'source': src}

def link_notebooks(src, stems):
    "`` `04_stateful_rnn` `` -> a link to that notebook's page (outside code fences and existing links)"
    def sub(text): return re.sub(r'(?<!\[)`(\w+)`(?!\]\()', lambda m: f'[`{m[1]}`]({m[1]}.ipynb)' if m[1] in stems else m[0], text)
    parts, pos = [], 0
    for m in FENCE.finditer(src): parts += [sub(src[pos:m.start()]), m[0]]; pos = m.end()
    return ''.join(parts + [sub(src[pos:])])

def transform(text, fname, stems=(), lib_name='humannums_fastai'):
    "The notebook JSON `text` (of `fname`) as the site shows it."
    nb = json.loads(text)
    cells, module = [], None
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown':
            # prose that names a directive (`#| slow`) says "the `slow` flag": no `#|` text reaches the page
            src = re.sub(r'`#\s?\|\s*([\w-]+)`', r'the `\1` flag', src)
            # one with a value (`#| eval: false`) reads "marked `eval: false`"
            src = re.sub(r'`#\s?\|\s*([\w-]+):?\s+([^`]+)`', r'marked `\1: \2`', src)
            c['source'] = link_notebooks(src, stems); cells.append(c); continue
        if c['cell_type'] != 'code': cells.append(c); continue
        d = directives(src)
        if 'default_exp' in d: module = d['default_exp']
        if 'hide' in d or 'default_exp' in d: continue
        body = strip_directives(src)
        if not body.strip() and not c.get('outputs'): continue
        c['source'] = body
        c['outputs'] = clean_outputs(c.get('outputs', []))
        tags = c.setdefault('metadata', {}).setdefault('tags', [])
        lines = [l for l in body.splitlines() if l.strip()]
        if lines and all(l.startswith('show_doc(') for l in lines):
            tags += ['remove-input', 'show-doc']  # custom.css draws show_doc's `---` rule: docutils allows none in an output
            for o in c['outputs']:
                if 'text/markdown' in o.get('data', {}):
                    o['data']['text/markdown'] = re.sub(r'^\s*---\s*\n', '', ''.join(o['data']['text/markdown']))
        elif d.get('echo') == 'false': tags.append('remove-input')
        if d.get('output') == 'false': c['outputs'] = []
        if 'slow' in d:
            ran = ' The output below is from such a run.' if c['outputs'] else ''
            cells.append(md_cell('```{note}\nA slow cell: `nbdev-test` skips it; it runs only with `nbdev-test --flags slow`.'
                                 + ran + '\n```'))
        cells.append(c)
    # under the first markdown cell (the title): the exported module and the download link
    info = [f'Exported to `{lib_name}.{module}`'] if module else []
    info.append(f'{{download}}`Download this notebook <{fname}>`')
    first = next((i for i, c in enumerate(cells) if c['cell_type'] == 'markdown'), -1)
    cells.insert(first + 1, md_cell(' · '.join(info)))
    nb['cells'], nb['nbformat_minor'] = cells, max(nb.get('nbformat_minor', 0), 5)  # 4.5: cells have ids
    return json.dumps(nb)
