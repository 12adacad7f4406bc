"Model contracts of the stateful models (LMModel3, LMModel4): sizes, state, device, detach, recipes."
import pytest, torch
from humannums_fastai.stateful_rnn import LMModel3, LMModel4, init_hidden, reaches_back, batch_metrics

MODELS = [LMModel3, LMModel4]

@pytest.mark.parametrize('M', MODELS)
def test_state_sized_from_input(M):
    m = M(30, 16)
    x = torch.randint(0, 30, (8, 5))
    m(x)
    assert m.h.shape == (8, 16)
    out = m(x[:3])                      # a last batch of another size starts a fresh state
    assert out.shape[0] == 3 and m.h.shape == (3, 16)

@pytest.mark.parametrize('M', MODELS)
def test_state_follows_device_and_dtype(M):
    x = torch.randint(0, 30, (4, 3))
    m = M(30, 16); m(x)
    m.to('meta')
    assert m(x.to('meta')).device.type == 'meta' and m.h.device.type == 'meta'
    m = M(30, 16).double(); m(x)
    assert m.h.dtype == torch.float64

@pytest.mark.parametrize('M', MODELS)
def test_detach_and_reset(M):
    x = torch.randint(0, 30, (4, 6))
    m = M(30, 16); m(x)
    assert not m.h.requires_grad and m.h.grad_fn is None
    assert reaches_back(M(30, 16), x[:, :3], x[:, 3:]) is False
    m.reset(); assert m.h is None

def test_init_hidden():
    e = torch.randn(2, 4)
    assert torch.equal(init_hidden(None, (2, 4), e), torch.zeros(2, 4))
    assert torch.equal(init_hidden(torch.ones(2, 4), (2, 4), e), torch.ones(2, 4))
    assert torch.equal(init_hidden(torch.ones(3, 4), (2, 4), e), torch.zeros(2, 4))

def test_batch_metrics_reset_is_reproducible():
    m = LMModel3(30, 8)
    dl = [(torch.randint(0, 30, (4, 3)), torch.randint(0, 30, (4,))) for _ in range(3)]
    a, b = batch_metrics(m, dl), batch_metrics(m, dl)
    assert a.shape == (3, 2) and torch.equal(a, b)

def test_recipes_registered():
    from humannums_fastai.training import RECIPES
    import humannums_fastai.stateful_rnn
    from fastai.callback.rnn import ModelResetter
    for name, book in (('lmmodel3', 0.589), ('lmmodel4', 0.640)):
        r = RECIPES[name]
        assert r.book == book and r.source == 'fastai book ch. 12'
        assert [type(c) for c in r.cbs()] == [ModelResetter]
    assert (RECIPES['lmmodel3'].epochs, RECIPES['lmmodel3'].lr) == (10, 3e-3)
    assert (RECIPES['lmmodel4'].epochs, RECIPES['lmmodel4'].lr) == (15, 3e-3)
