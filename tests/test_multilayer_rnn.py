"Model contract of LMModel5 and the RNN statistics helpers."
import torch
from torch import nn
from humannums_fastai.multilayer_rnn import (LMModel5, unroll_rnn, act_stats, grad_through_time, rnn_probe,
                                             scale_weights_, grad_norm, GradNormRecorder)
from humannums_fastai.stateful_rnn import reaches_back

def test_lmmodel5_contract():
    x = torch.randint(0, 30, (8, 5))
    m = LMModel5(30, 16, 3)
    assert m(x).shape == (8, 5, 30) and m.h.shape == (3, 8, 16)
    assert m(x[:2]).shape == (2, 5, 30) and m.h.shape == (3, 2, 16)
    assert not m.h.requires_grad
    m.to('meta')
    assert m(x.to('meta')).device.type == 'meta' and m.h.device.type == 'meta'
    assert reaches_back(LMModel5(30, 16, 2), x[:, :2], x[:, 2:]) is False
    m.reset(); assert m.h is None

def test_unroll_matches_nn_rnn():
    for nl in ('tanh', 'relu'):
        r = nn.RNN(6, 6, 2, nonlinearity=nl, batch_first=True)
        e, h0 = torch.randn(3, 4, 6), torch.randn(2, 3, 6)
        hs = unroll_rnn(r, e, h0)
        res, h = r(e, h0)
        assert torch.allclose(torch.stack(hs[-1], 1), res, atol=1e-5)
        assert torch.allclose(torch.stack([l[-1] for l in hs]), h, atol=1e-5)

def test_stats_and_probe():
    st = act_stats([[torch.tensor([[0., 0.5, 0.99, -1.]])]])
    assert st.saturated[0] == 0.5 and st.dead[0] == 0.25 and abs(st.mean_abs[0] - 0.6225) < 1e-6
    m = LMModel5(30, 8, 2)
    x = torch.randint(0, 30, (4, 7))
    stats, grads = rnn_probe(m, x, x)
    assert len(stats) == 2*7 and grads.shape == (2, 7) and (grads > 0).all()

def test_scale_and_grad_norm():
    r = nn.RNN(4, 4, 1)
    w, b = r.weight_hh_l0.clone(), r.bias_hh_l0.clone()
    scale_weights_(r, 2.)
    assert torch.allclose(r.weight_hh_l0, 2*w) and torch.equal(r.bias_hh_l0, b)
    lin = nn.Linear(4, 1, bias=False)
    lin(torch.ones(1, 4)).sum().backward()
    assert abs(grad_norm(lin.parameters()) - 2.) < 1e-6
    from fastai.callback.training import GradientClip
    assert GradNormRecorder.order < GradientClip.order

def test_recipe_registered():
    from humannums_fastai.training import RECIPES
    import humannums_fastai.multilayer_rnn
    r = RECIPES['lmmodel5']
    assert (r.book, r.epochs, r.lr, r.source) == (0.488, 15, 3e-3, 'fastai book ch. 12')
