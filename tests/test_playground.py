"""The playground page (nbs/15_playground.ipynb, site/playground.js) in headless Chromium, served by `python -m http.server`:
its probabilities equal PyTorch's, its greedy generation equals `generate_words`, its counting demo marks the mistakes,
an unknown word gets a message, and no other page loads it. Also measures it (printed; with HN_WRITE_MEASUREMENTS=1
written to site/measurements.json, which the notebook shows).

HN_SITE_DIR=PATH reuses a site already built by `python tools/docs.py PATH` instead of building one.
"""
import json, os, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_site import chrome, needs_browser, browser, driver_bin, serve  # the same Chromium, flags, skip rule and server

onnxruntime = pytest.importorskip('onnxruntime')
from humannums_fastai.data import BOOK_VOCAB, num2words
from humannums_fastai.models import get_recipe
from humannums_fastai.cli import fit_fresh
from humannums_fastai.evaluate import Stepper, encode, generate_words, counting_prompt, parse_numbers
from humannums_fastai.onnx_export import export_onnx, onnx_generate

root = Path(__file__).resolve().parent.parent
PAGE = '15_playground.html'
NAMES = ('lmmodel3', 'lmmodel7', 'lmmodel10')
pytestmark = needs_browser

@pytest.fixture(scope='module')
def built(tmp_path_factory):
    "The site as README's command builds it (or HN_SITE_DIR)"
    if os.environ.get('HN_SITE_DIR'): return Path(os.environ['HN_SITE_DIR'])
    out = tmp_path_factory.mktemp('site')/'_docs'
    subprocess.run([sys.executable, str(root/'tools'/'docs.py'), str(out)], check=True)
    return out

@pytest.fixture(scope='module')
def published(built):
    srv, base = serve(built)
    yield built, base
    srv.terminate(); srv.wait()

@pytest.fixture(scope='module')
def trained(built, tmp_path_factory):
    """The three models trained one epoch each (seed 0), exported by the package's `export_onnx` into a copy of the site
    in place of the published ones, so the page can be set against PyTorch models held here: (models, base url)"""
    torch.set_num_threads(1)
    site = tmp_path_factory.mktemp('copy')/'_docs'
    shutil.copytree(built, site)
    models = {}
    for n in NAMES:
        learn, _ = fit_fresh(get_recipe(n), seed=0, epochs=1, quiet=True)
        models[n] = learn.model.eval()
        export_onnx(models[n], list(learn.dls.vocab), site/'playground'/'models', n)
    srv, base = serve(site)
    yield models, base
    srv.terminate(); srv.wait()

WAIT_READY = """const done = arguments[arguments.length - 1], t0 = Date.now();
  (function poll() { const a = window.hnPlayground;
    if (a && (a.ready || a.error)) done(a.error || 'ok'); else if (Date.now() - t0 > 60000) done('timeout'); else setTimeout(poll, 20); })();"""

def open_page(chrome, base):
    chrome.get(base + PAGE)
    assert chrome.execute_async_script(WAIT_READY) == 'ok'

def act(chrome, button, **fields):
    "Set the panel's fields (by id), click `button`, and wait until the page has handled it"
    n = chrome.execute_script('return window.hnPlayground.actions')
    for k, v in fields.items():
        chrome.execute_script("const e = document.getElementById(arguments[0]); e.value = arguments[1];", k, str(v))
    chrome.find_element('id', button).click()
    chrome.execute_async_script("""const done = arguments[arguments.length - 1], n = arguments[0];
      (function poll() { if (window.hnPlayground.actions > n) done(); else setTimeout(poll, 10); })();""", n)
    return chrome.execute_script('return window.hnPlayground.last')

def torch_probs(model, ids):
    return F.softmax(Stepper(model, ids).scores(), -1)

PROMPTS = ['. eight thousand one . eight thousand two .', '. nine thousand nine hundred ninety eight .',
           'one . two . three . four . five . six . seven . eight .', '. two thousand nineteen . two thousand twenty']

def test_probabilities_equal_pytorch(trained, chrome):
    "For each model and prompt: Predict, then Step three times (the state carried in the browser); every time the same probabilities"
    models, base = trained
    open_page(chrome, base)
    worst = 0.
    for n, m in models.items():
        chrome.execute_script("document.getElementById('hn-model').value = arguments[0]", n)
        for prompt in PROMPTS:
            last = act(chrome, 'hn-predict', **{'hn-prompt': prompt})
            ids = encode(prompt, BOOK_VOCAB)
            for step in range(4):
                assert last['model'] == n and last['words'] == [BOOK_VOCAB[i] for i in ids]
                p = torch_probs(m, ids)
                worst = max(worst, float((p - torch.tensor(last['probs'])).abs().max()))
                ids = ids + [int(p.argmax())]
                if step < 3: last = act(chrome, 'hn-step')
    print(f'largest difference from PyTorch: {worst:.2e}')
    assert worst < 1e-4
    bars = chrome.find_elements('css selector', '#hn-bars .hn-bar')
    assert len(bars) == 10 and len(chrome.find_elements('css selector', '#hn-hidden .hn-cell')) == 64

def test_generation_equals_generate_words(trained, chrome):
    models, base = trained
    open_page(chrome, base)
    for n, m in models.items():
        chrome.execute_script("document.getElementById('hn-model').value = arguments[0]", n)
        for prompt in PROMPTS[:2]:
            last = act(chrome, 'hn-generate', **{'hn-prompt': prompt, 'hn-n': 3})
            assert last['generated'] == generate_words(m, BOOK_VOCAB, prompt, 3), (n, prompt)
            assert chrome.find_element('id', 'hn-text').text == ' '.join(last['words'])

def check_count(chrome, models_or_files, start, n):
    "Count from `start`: each model's words as `generate` gives them, every number marked right or wrong against num2words"
    act(chrome, 'hn-count', **{'hn-start': start, 'hn-count-n': n})
    res = chrome.execute_script('return window.hnPlayground.count')
    for name, gen in models_or_files.items():
        words = gen(counting_prompt(start), n)
        assert res[name]['words'] == words, name
        nums = parse_numbers(words)
        want = [num2words(start + 1 + j) for j in range(n)]
        assert [r['want'] for r in res[name]['rows']] == want
        assert [r['right'] for r in res[name]['rows']] == [j < len(nums) and nums[j] == start + 1 + j for j in range(n)]
        table = chrome.find_element('css selector', f'.hn-counter[data-model="{name}"]')
        assert len(table.find_elements('css selector', 'tr.hn-wrong')) == sum(not r['right'] for r in res[name]['rows'])
    return res

def test_counting_demo(trained, chrome):
    models, base = trained
    open_page(chrome, base)
    gens = {n: (lambda p, k, m=models[n]: generate_words(m, BOOK_VOCAB, p, k)) for n in ('lmmodel7', 'lmmodel10')}
    res = check_count(chrome, gens, 8996, 6)
    assert any(not r['right'] for r in res['lmmodel7']['rows'])  # one epoch of training: mistakes to mark

def test_published_models_count(published, chrome):
    "The published models on the real site: the page counts as ONNX Runtime in Python does with the same files"
    site, base = published
    open_page(chrome, base)
    gens = {n: (lambda p, k, f=site/'playground'/'models'/f'{n}.onnx': onnx_generate(f, p, k)) for n in ('lmmodel7', 'lmmodel10')}
    res = check_count(chrome, gens, 9096, 6)
    print({n: [r['got'] for r in v['rows']] for n, v in res.items()})
    assert chrome.execute_script('return window.hnPlayground.num2words(9999)') == num2words(9999)
    js = chrome.execute_script('return Array.from({length: 9999}, (_, i) => window.hnPlayground.num2words(i + 1))')
    assert js == [num2words(i) for i in range(1, 10000)]

def test_unknown_word_and_bad_input_show_a_message(published, chrome):
    site, base = published
    open_page(chrome, base)
    act(chrome, 'hn-predict', **{'hn-prompt': '. eight thousand eleventy .'})
    msg = chrome.find_element('id', 'hn-message')
    assert msg.is_displayed() and "'eleventy' is not in the vocabulary" in msg.text
    chrome.execute_script("document.getElementById('hn-model').value = 'lmmodel3'")
    act(chrome, 'hn-predict', **{'hn-prompt': '. eight'})
    assert 'reads 3 words at a time' in chrome.find_element('id', 'hn-message').text
    act(chrome, 'hn-count', **{'hn-start': 9999, 'hn-count-n': 6})
    assert 'start: a whole number from 2 to 9993' in chrome.find_element('id', 'hn-count-message').text
    # the panel still works
    last = act(chrome, 'hn-predict', **{'hn-prompt': '. eight thousand one .'})
    assert not chrome.find_element('id', 'hn-message').is_displayed() and len(last['probs']) == len(BOOK_VOCAB)

def test_other_pages_do_not_load_the_panel(published, chrome):
    site, base = published
    pages = sorted(p.name for p in site.glob('*.html'))
    assert PAGE in pages
    assert [p for p in pages if p != PAGE and 'playground/' in (site/p).read_text()] == []
    for page in ('index.html', '11_can_it_count.html'):
        chrome.get(base + page)
        res = chrome.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert not [r for r in res if 'playground/' in r or 'ort' in r.rsplit('/', 1)[-1]], res
    served = sorted(str(p.relative_to(site/'playground')) for p in (site/'playground').rglob('*') if p.is_file())
    assert served == ['models/lmmodel10.json', 'models/lmmodel10.onnx', 'models/lmmodel3.json', 'models/lmmodel3.onnx',
                      'models/lmmodel7.json', 'models/lmmodel7.onnx', 'ort/ort-wasm-simd-threaded.mjs',
                      'ort/ort-wasm-simd-threaded.wasm', 'ort/ort.wasm.min.mjs', 'playground.css', 'playground.js']

def test_measure(published, tmp_path):
    """Time to the first prediction, bytes transferred until then, and ms per generated word, in a fresh Chromium
    (empty cache). Printed; written to site/measurements.json with HN_WRITE_MEASUREMENTS=1"""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    site, base = published
    opts = webdriver.ChromeOptions(); opts.binary_location = browser
    for a in ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
              '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage',
              '--window-size=1280,900', f'--user-data-dir={tmp_path}'):
        opts.add_argument(a)
    d = webdriver.Chrome(service=Service(driver_bin), options=opts)
    try:
        d.set_script_timeout(120)
        open_page(d, base)
        first = d.execute_script('return window.hnPlayground.firstPrediction')
        entries = d.execute_script("""return [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
            .filter(e => e.responseEnd <= window.hnPlayground.firstPrediction).map(e => [e.name, e.transferSize, e.encodedBodySize])""")
        assert sorted(u.rsplit('/', 1)[-1] for u, _, _ in entries if '/models/' in u) == ['lmmodel7.json', 'lmmodel7.onnx']
        total = sum(t or b for _, t, b in entries)
        wasm = sum(t or b for u, t, b in entries if u.endswith('.wasm'))
        per_word = {}
        for n in NAMES:
            d.execute_script("document.getElementById('hn-model').value = arguments[0]", n)
            act(d, 'hn-generate', **{'hn-prompt': '. eight thousand one . eight thousand two .', 'hn-n': 50})
            per_word[n] = round(d.execute_script('return window.hnPlayground.msPerWord'), 3)
        ua = d.execute_script('return navigator.userAgent')
    finally: d.quit()
    m = dict(first_prediction_s=round(first / 1000, 2), bytes_to_first_prediction=total, wasm_bytes=wasm,
             files_to_first_prediction=len(entries), ms_per_word_generating_50_numbers=per_word,
             browser=ua.split('Chrome/')[-1].split(' ')[0].join(['Chromium ', ' headless']),
             machine=f'{os.cpu_count()} CPU cores, served by python -m http.server on 127.0.0.1')
    print(json.dumps(m, indent=1))
    assert first < 30_000 and total < 20e6 and all(v < 100 for v in per_word.values())
    if os.environ.get('HN_WRITE_MEASUREMENTS'): (root/'site'/'measurements.json').write_text(json.dumps(m, indent=1) + '\n')
