"""The course site, checked in a real browser: `python tools/docs.py` builds it, `python -m http.server` serves it,
headless Chromium (Selenium, Debian's chromedriver) loads every page with its JavaScript run.

Skipped only where Chromium is absent and this is not CI; .ci/run installs it (apt) so CI always runs it.
"""
import os, re, shutil, socket, subprocess, sys, time, urllib.error, urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse
import pytest

root = Path(__file__).resolve().parent.parent
browser = next(filter(None, map(shutil.which, ('chromium', 'chromium-browser', 'google-chrome'))), None)
driver_bin = shutil.which('chromedriver')
needs_browser = pytest.mark.skipif(not (browser and driver_bin) and not os.environ.get('CI'),
    reason='headless Chromium and chromedriver are not installed (apt-get install chromium chromium-driver); CI installs them')

PROGRESS = re.compile(r'\d+\.\d\d% \[\d+/\d+|\|[█\-]{5,}\|')  # fastprogress: `|████----| 10.20% [5/49 00:00<00:00]`

def serve(folder):
    "`python -m http.server` for `folder` on a free port of 127.0.0.1: (process, base url), once it answers"
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    srv = subprocess.Popen([sys.executable, '-m', 'http.server', str(port), '--bind', '127.0.0.1', '-d', str(folder)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f'http://127.0.0.1:{port}/'
    for _ in range(100):
        try: urllib.request.urlopen(base, timeout=1); break
        except OSError: time.sleep(0.1)
    return srv, base

@pytest.fixture(scope='module')
def site(tmp_path_factory):
    "The site built by the README's command into a temporary folder, served on a free port of 127.0.0.1."
    out = tmp_path_factory.mktemp('site')/'_docs'
    subprocess.run([sys.executable, str(root/'tools'/'docs.py'), str(out)], check=True)
    srv, base = serve(out)
    yield out, base
    srv.terminate(); srv.wait()

@pytest.fixture(scope='module')
def chrome(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    # the network here is closed: without these Chromium stalls on its background services
    for a in ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
              '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage',
              '--window-size=1280,900', f"--user-data-dir={tmp_path_factory.mktemp('chrome-profile')}"):
        opts.add_argument(a)
    d = webdriver.Chrome(service=Service(driver_bin), options=opts)
    d.set_page_load_timeout(60)
    yield d
    d.quit()

def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r: return r.status, r.read().decode('utf-8', 'replace')
    except urllib.error.HTTPError as e: return e.code, ''

@needs_browser
def test_every_page_in_the_browser(site, chrome, tmp_path):
    out, base = site
    stems = sorted(p.stem for p in (root/'nbs').glob('*.ipynb'))
    assert not [s for s in stems if not (out/f'{s}.html').exists()], 'a notebook without a page'
    pages = sorted(p.name for p in out.glob('*.html'))
    links, problems = {}, []
    for page in pages:
        chrome.get(base + page)
        text = chrome.execute_script('return document.body.innerText')
        if '#|' in text: problems.append(f'{page}: `#|` directive text')
        if m := PROGRESS.search(text): problems.append(f'{page}: progress-bar text {m[0]!r}')
        # every image decoded: wait for the ones still loading, then naturalWidth > 0
        bad = chrome.execute_async_script("""const done = arguments[arguments.length - 1];
            Promise.all([...document.images].map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; })))
              .then(() => done([...document.images].filter(i => !(i.naturalWidth > 0)).map(i => i.src)));""")
        problems += [f'{page}: image not loaded {s}' for s in bad]
        for href in chrome.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href)"):
            if href.startswith(base): links.setdefault(href, page)
    # every internal link: the file is served (200) and its #anchor exists
    bodies = {}
    for href, page in sorted(links.items()):
        url, frag = urldefrag(href)
        if url not in bodies: bodies[url] = fetch(url)
        status, body = bodies[url]
        if status != 200: problems.append(f'{page}: link {href} -> {status}')
        elif frag and not re.search(rf'''\bid=["']{re.escape(frag)}["']''', body): problems.append(f'{page}: no anchor {href}')
    assert not problems, '\n'.join(problems)
    assert any('_downloads/' in h and h.endswith('04_stateful_rnn.ipynb') for h in links), 'no notebook download link'
    # the one screenshot of this run, to look at when something fails
    chrome.get(base + '04_stateful_rnn.html'); chrome.save_screenshot(str(tmp_path/'04_stateful_rnn.png'))

@needs_browser
def test_search_finds_ModelResetter(site, chrome):
    from selenium.webdriver.support.ui import WebDriverWait
    out, base = site
    chrome.get(base + 'search.html?q=ModelResetter')
    # Sphinx's search runs in the page: wait until it has listed its hits
    hits = WebDriverWait(chrome, 30).until(lambda d: d.execute_script(
        "const r = document.querySelectorAll('#search-results ul.search li a');"
        "return document.querySelector('#search-results p.search-summary') ? [...r].map(a => a.href) : null"))
    assert any('04_stateful_rnn' in h for h in hits), hits
    assert 'ModelResetter' in chrome.find_element('id', 'search-results').text

def test_nbdev_conventions():
    "What tools/docs/nbdev_nb.py makes of each kind of cell, on a small notebook (fastprogress output as execnb and nbclient store it)."
    import json
    sys.path.insert(0, str(root/'tools'/'docs'))
    from nbdev_nb import transform
    code = lambda src, *outs: {'cell_type': 'code', 'metadata': {}, 'source': src, 'outputs': list(outs), 'execution_count': 1}
    stream = lambda t: {'output_type': 'stream', 'name': 'stdout', 'text': t}
    html = lambda h: {'output_type': 'display_data', 'metadata': {}, 'data': {'text/html': h, 'text/plain': '<HTML>'}}
    bar = "<div><progress value='5' class='' max='49'></progress> 10.20% [5/49 00:00&lt;00:00 3.36]</div>"
    cells = [code('#| default_exp lstm'), {'cell_type': 'markdown', 'metadata': {}, 'source': '# LSTM\n\nsee `04_stateful_rnn`, behind `#| slow`'},
             code('#| hide\nimport secret'), code('#| export\ndef f(): pass'), code('show_doc(f)', {'output_type': 'execute_result',
             'metadata': {}, 'execution_count': 1, 'data': {'text/markdown': '---\n\n### f', 'text/plain': 'f'}}),
             code('#| slow\nlearn.fit(1)', stream('█\repoch  train_loss\n█\r\rEpoch 1/1 : |-----| 0.00% [0/49 00:00<?]\r'
                  'Epoch 1/1 : |█████| 100.00% [49/49 00:01<00:00]\rEpoch 1/1 :      \r0      3.14\n')),
             code('learn.fit(1)', html('<style>progress {}</style>' + bar + '<table><tr><td>0</td></tr></table>'), html('<style></style>' + bar))]
    nb = json.loads(transform(json.dumps({'cells': cells, 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 4}), '06_lstm.ipynb',
                              stems=['04_stateful_rnn', '06_lstm']))
    srcs = [c['source'] for c in nb['cells']]
    assert not any('#|' in s or 'secret' in s for s in srcs), srcs
    assert srcs[0].startswith('# LSTM') and '[`04_stateful_rnn`](04_stateful_rnn.ipynb)' in srcs[0] and 'the `slow` flag' in srcs[0]
    assert 'Exported to `humannums_fastai.lstm`' in srcs[1] and '<06_lstm.ipynb>' in srcs[1]
    assert srcs[2] == 'def f(): pass'
    sd = nb['cells'][3]
    assert 'remove-input' in sd['metadata']['tags'] and sd['outputs'][0]['data']['text/markdown'] == '### f'
    assert '--flags slow' in srcs[4] and srcs[5] == 'learn.fit(1)'
    assert nb['cells'][5]['outputs'][0]['text'] == 'epoch  train_loss\n0      3.14\n'
    outs = nb['cells'][6]['outputs']
    assert len(outs) == 1 and 'progress>' not in outs[0]['data']['text/html'] and '<table>' in outs[0]['data']['text/html']
