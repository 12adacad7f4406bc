"""One code path, any device, checked without a GPU: every model and helper runs where its inputs are (PyTorch's
`meta` device stands in for a GPU: a tensor made on the CPU inside the code then fails), and every `DataLoaders` the
package builds follows fastai's `default_device()` (here made to answer `meta`, a device that is not the CPU)."""
from unittest import mock
import pytest, torch
from fastai.torch_core import default_device
from fastai.callback.fp16 import MixedPrecision
from humannums_fastai.data import BOOK_VOCAB
from humannums_fastai.training import RECIPES
from humannums_fastai import models  # registers every recipe
from humannums_fastai.lmdata import dls_seqs3, dls_seqs3_chunked, dls_sl
from humannums_fastai.stateful_rnn import init_hidden, batch_metrics
from humannums_fastai.multilayer_rnn import LMModel5, unroll_rnn, grad_through_time
from humannums_fastai.lstm import LSTM, LSTMCell, GRUCell, LMModel6, grad_by_step
from humannums_fastai.plain_pytorch import LSTMLM, train_loop
from humannums_fastai.awd_lstm import dls_awd, awd_learner, awd_model, lm_learner
from humannums_fastai.ulmfit import dls_lm, dls_clas, clas_df
from humannums_fastai.course_v3 import dls_course, dls_v1
from humannums_fastai.copy_increment import LMModel9, gate_at
from humannums_fastai.evaluate import window_size, predict_next, Stepper

META, VOCAB = torch.device('meta'), list(BOOK_VOCAB)
V = len(VOCAB)

@pytest.fixture
def fake_gpu():
    "fastai's `default_device()` answers `meta`, as it answers `cuda:0` where there is a GPU (`torch.cuda.is_available()`)"
    with mock.patch('torch.cuda.is_available', lambda: True), mock.patch('torch.cuda.current_device', lambda: META):
        assert default_device() == META
        yield META

def _ids(bs, sl, device=META): return torch.randint(0, V, (bs, sl), device=device)

def _scores(out): return out[0] if isinstance(out, (tuple, list)) else out

def _check_on_meta(m, sl=3, bs=4):
    "Forward twice (the second call with any state the first carried) and backward, all on `meta`"
    m = m.to(META)
    for train in (True, False):
        m.train(train)
        if hasattr(m, 'reset'): m.reset()
        for _ in range(2):
            out = _scores(m(_ids(bs, sl)))
            assert out.device == META and out.shape[0] == bs and out.shape[-1] == V
        if train: out.float().sum().backward()
    assert all(p.device == META for p in m.parameters())
    assert all(p.grad.device == META for p in m.parameters() if p.grad is not None)
    assert any(p.grad is not None for p in m.parameters())

@pytest.mark.parametrize('name', sorted(RECIPES))
def test_every_recipe_model_runs_on_its_inputs_device(name):
    torch.manual_seed(0)
    _check_on_meta(RECIPES[name].model(V))

def test_layers_and_cells_run_on_their_inputs_device():
    x = torch.randn(3, 5, 4, device=META)
    out, (h, c) = LSTM(4, 6, 2).to(META)(x)
    assert {out.device, h.device, c.device} == {META}
    h, (h2, c2) = LSTMCell(4, 6).to(META)(x[:, 0], (x.new_zeros(3, 6), x.new_zeros(3, 6)))
    assert {h.device, h2.device, c2.device} == {META}
    assert GRUCell(4, 6).to(META)(x[:, 0], x.new_zeros(3, 6)).device == META
    assert init_hidden(None, (3, 6), x).device == META
    _check_on_meta(LMModel6(V, 8, 1, lstm=LSTM), sl=5)
    _check_on_meta(LSTMLM(V, 8, 2), sl=5)
    _check_on_meta(awd_model(V, normal_init=True), sl=5)

def test_grad_through_time_on_the_grads_device():
    m = LMModel5(V, 8, 2).to(META)
    hs = unroll_rnn(m.rnn, m.i_h(_ids(2, 5)))
    g = grad_through_time(hs, hs[-1][1].sum())  # the steps after 1 get no gradient: their zeros too are on meta
    assert g.device == META and g.shape == (2, 5)

def test_analysis_helpers_run_on_the_models_device():
    m = LMModel6(V, 8, 2).to(META)
    x = _ids(4, 6)
    assert grad_by_step(m, x, x).device == META
    dl = [(_ids(4, 6), _ids(4, 6)) for _ in range(3)]
    assert batch_metrics(m, dl).device == META
    m4 = RECIPES['lmmodel4'].model(V).to(META)
    assert window_size(m4) is None and window_size(RECIPES['lmmodel1'].model(V).to(META)) == 3
    assert predict_next(m4, [0, 1, 2, 1]).device == META
    st = Stepper(m4, [0, 1, 2, 1]); st.push(3)
    assert st.scores().device == META

def test_grad_by_step_backpropagates_without_cudnn():
    "cuDNN's RNNs have no backward in eval mode, so `grad_by_step` runs its pass with cuDNN off (a no-op on the CPU)"
    m, seen = LMModel6(V, 8, 2), []
    m.register_forward_pre_hook(lambda mod, args: seen.append(torch.backends.cudnn.enabled))
    x = torch.randint(0, V, (4, 6))
    assert grad_by_step(m, x, x).shape == (6,) and seen == [False]

def test_gate_at_feeds_the_model_on_its_device():
    m, seen = LMModel9(V, 8, 2, 0.1).to(META), []
    m.register_forward_pre_hook(lambda mod, args: seen.append(args[0].device))
    with pytest.raises(RuntimeError, match='meta'):  # reading the gate's numbers off `meta` fails, after the forward
        gate_at(m, VOCAB, '. eight thousand')
    assert seen == [META]

def test_train_loop_puts_model_and_batches_on_device():
    class Stop(Exception): pass
    seen = []
    def hook(mod, args):
        seen.append((args[0].device, next(mod.parameters()).device)); raise Stop()
    m = LSTMLM(V, 8, 1)
    m.register_forward_pre_hook(hook)
    dl = [(_ids(4, 5, 'cpu'), _ids(4, 5, 'cpu'))]
    with pytest.raises(Stop): train_loop(m, dl, dl, epochs=1, show=False, device=META)
    assert seen == [(META, META)]

def _dls_builders():
    yield 'dls_seqs3', lambda: dls_seqs3()
    yield 'dls_seqs3_chunked', lambda: dls_seqs3_chunked()
    yield 'dls_sl', lambda: dls_sl()
    yield 'dls_awd', lambda: dls_awd()
    yield 'dls_lm', lambda: dls_lm()
    yield 'dls_clas', lambda: dls_clas(VOCAB + [','], clas_df(n_train=50), min_items=100)
    yield 'dls_course', lambda: dls_course(64, 20)
    yield 'dls_v1', lambda: dls_v1(dls_course(64, 20))

@pytest.mark.parametrize('name,build', list(_dls_builders()), ids=[n for n, _ in _dls_builders()])
def test_dataloaders_follow_default_device(name, build, fake_gpu):
    dls = build()
    assert dls.device == fake_gpu and all(dl.device == fake_gpu for dl in dls.loaders), f'{name}: {dls.device}'

def test_every_recipe_dataloaders_follow_default_device(fake_gpu):
    seen = {}
    for r in RECIPES.values():
        key = getattr(r.dls, '__code__', r.dls)
        if key not in seen: seen[key] = (r.name, r.dls(64).device)
    assert {n: d for n, d in seen.values() if d != fake_gpu} == {}

def test_dataloaders_on_this_machine():
    assert dls_seqs3().device == dls_sl().device == default_device()

def test_awd_learners_keep_full_precision(fake_gpu):
    "Tiny models gain nothing from fp16, and fastai's accuracy and `stream_preds` must agree on any device"
    dls = dls_awd()
    for learn in (awd_learner(dls), lm_learner(dls, awd_model(len(dls.vocab)))):
        assert not any(isinstance(cb, MixedPrecision) for cb in learn.cbs)
