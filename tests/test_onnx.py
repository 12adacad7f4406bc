"""ONNX export (nbs/14_onnx.ipynb): ONNX Runtime's next-word probabilities equal PyTorch's, the state carried word to word,
for LMModel3, LMModel7 and LMModel10; the published files in site/models/ have the exporter's signature."""
import json
from pathlib import Path
import numpy as np
import pytest
import torch
import torch.nn.functional as F

onnxruntime = pytest.importorskip('onnxruntime')
from humannums_fastai.data import BOOK_VOCAB
from humannums_fastai.models import get_recipe
from humannums_fastai.training import UsageError, save_trained
from humannums_fastai.evaluate import Stepper, encode, generate_words, counting_prompt
from humannums_fastai.copy_model import LMModel8
from humannums_fastai.onnx_export import (export_onnx, step_module, OnnxStepper, onnx_generate, onnx_agreement,
                                          export_model, PROMPTS)

root = Path(__file__).resolve().parent.parent
NAMES = ('lmmodel3', 'lmmodel7', 'lmmodel10')

@pytest.fixture(scope='module')
def exported(tmp_path_factory):
    "Freshly drawn weights (seed 0) for each model, exported: {name: (model, onnx path)}"
    torch.set_num_threads(1)
    out, res = tmp_path_factory.mktemp('onnx'), {}
    for i, n in enumerate(NAMES):
        torch.manual_seed(i)
        m = get_recipe(n).model(len(BOOK_VOCAB)).eval()
        if n == 'lmmodel10':  # a successor table that is not uniform, so the successor way matters
            with torch.no_grad(): m.succ.normal_(0, 2)
        res[n] = (m, export_onnx(m, BOOK_VOCAB, out, n))
    return res

@pytest.mark.parametrize('name', NAMES)
def test_probabilities_agree(exported, name):
    m, p = exported[name]
    prompts = PROMPTS + ('. eight thousand nine hundred ninety nine .', 'one two three four five')
    assert onnx_agreement(m, p, prompts, steps=40) < 1e-5

@pytest.mark.parametrize('name', ['lmmodel7', 'lmmodel10'])
def test_state_is_carried(exported, name):
    "The second word's probabilities depend on the state the first call returned: a zero state instead gives others"
    m, p = exported[name]
    ox = OnnxStepper(p, '. eight')
    carried = ox.probs().copy()
    ox.state = ox.zero_state(); ox._run([ox.ids[-1]])
    assert np.abs(carried - ox.probs()).max() > 1e-4
    st = Stepper(m, encode('. eight', BOOK_VOCAB))
    np.testing.assert_allclose(F.softmax(st.scores(), -1).numpy(), carried, atol=1e-5)

@pytest.mark.parametrize('name', NAMES)
def test_greedy_generation_equals_generate_words(exported, name):
    m, p = exported[name]
    for prompt in (PROMPTS[0], counting_prompt(8996)):
        assert onnx_generate(p, prompt, 4) == generate_words(m, BOOK_VOCAB, prompt, 4)

def test_errors(exported, tmp_path):
    with pytest.raises(UsageError, match="'eleventy' is not in the vocabulary"): OnnxStepper(exported['lmmodel7'][1], 'eight eleventy')
    with pytest.raises(UsageError, match='reads 3 words at a time'): OnnxStepper(exported['lmmodel3'][1], '. eight').probs()
    with pytest.raises(UsageError, match='LMModel8 cannot be exported'): step_module(LMModel8(30, 64, 2, 0.4))
    (tmp_path/'f').write_text('')
    with pytest.raises(UsageError, match='is a file, not a folder'): export_onnx(exported['lmmodel3'][0], BOOK_VOCAB, tmp_path/'f')

def test_export_command(exported, tmp_path, capsys):
    "`humannums export` (export_model): a saved model to NAME.onnx and NAME.json, named after its recipe"
    from types import SimpleNamespace
    m = exported['lmmodel10'][0]
    save_trained(SimpleNamespace(model=m, dls=SimpleNamespace(vocab=BOOK_VOCAB)), 'lmmodel10', tmp_path/'m.pth', dict(model='lmmodel10'))
    p = Path(export_model(str(tmp_path/'m.pth'), str(tmp_path/'out')))
    assert p == tmp_path/'out'/'lmmodel10.onnx' and 'wrote' in capsys.readouterr().out
    assert onnx_agreement(m, p, PROMPTS[:1], steps=5) < 1e-5
    with pytest.raises((UsageError, OSError), match='does not exist'): export_model(str(tmp_path/'nope.pth'))

@pytest.mark.parametrize('name', NAMES)
def test_published_models(name):
    "site/models/NAME.onnx (written by nbs/15_playground.ipynb) has the signature and vocab the exporter gives today"
    p = root/'site'/'models'/f'{name}.onnx'
    meta = json.loads(p.with_suffix('.json').read_text())
    _, _, spec = step_module(get_recipe(name).model(len(BOOK_VOCAB)))
    assert meta['vocab'] == BOOK_VOCAB and meta['record']['seed'] == 42
    assert {k: meta[k] for k in spec} == spec
    sess = onnxruntime.InferenceSession(str(p))
    assert [i.name for i in sess.get_inputs()] == ['ids'] + spec['state']
    assert [o.name for o in sess.get_outputs()] == spec['outputs']
    assert p.stat().st_size < 400_000
