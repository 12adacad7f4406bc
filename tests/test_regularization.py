"Fast tests of humannums_fastai.regularization: Dropout, AR/TAR, LMModel7's contracts and recipes."
import pytest, torch
from torch import nn

def test_dropout_scales_and_is_identity_in_eval():
    from humannums_fastai.regularization import Dropout
    torch.manual_seed(0)
    x, d = torch.randn(100, 100), Dropout(0.25)
    y = d(x)
    assert abs((y == 0).float().mean().item() - 0.25) < 0.02
    assert torch.allclose(y[y != 0], x[y != 0] / 0.75)
    d.eval()
    assert torch.equal(d(x), x)
    with pytest.raises(ValueError, match=r'in \[0, 1\]'): Dropout(2)

def test_ar_tar_formulas():
    from humannums_fastai.regularization import ar_loss, tar_loss
    t = torch.arange(4.)[None, :, None].expand(3, 4, 2)
    assert ar_loss(torch.ones(2, 3, 4), 2.).item() == 2.
    assert tar_loss(t, 1.5).item() == 1.5
    assert tar_loss(torch.ones(2, 1, 4)).item() == 0.

def test_lmmodel7_contracts():
    from humannums_fastai.regularization import LMModel7
    from humannums_fastai.training import n_params
    m = LMModel7(30, 16, 2, 0.5)
    assert m.h_o.weight is m.i_h.weight
    assert n_params(m) == 30*16 + 30 + 2*4*(16*16*2 + 16*2)
    x = torch.randint(0, 30, (8, 5))
    pred, raw, out = m(x)
    assert (pred.shape, raw.shape, out.shape) == ((8, 5, 30), (8, 5, 16), (8, 5, 16))
    assert not m.h[0].requires_grad and m.h[0].shape == (2, 8, 16)
    assert m(x[:3])[0].shape == (3, 5, 30)   # a smaller last batch
    m.reset(); assert m.h is None

def test_recipes_registered():
    from humannums_fastai.regularization import lmmodel7, lmmodel7_learner
    from humannums_fastai.training import RECIPES
    from fastai.text.learner import TextLearner
    assert RECIPES['lmmodel7'] is lmmodel7 and lmmodel7.learner is TextLearner and lmmodel7.book == 0.869
    assert lmmodel7.fit_kw == dict(wd=0.1) and lmmodel7.cbs is None
    assert [type(c).__name__ for c in lmmodel7_learner.cbs()] == ['ModelResetter', 'RNNCallback', 'RNNRegularizer']
