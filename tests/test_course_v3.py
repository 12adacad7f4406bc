"Contracts of the course v3 models (09_course_v3): shapes, state sized from the input, reset, detach, the v1 loader"
import pytest, torch
import torch.nn.functional as F
import numpy as np
from humannums_fastai.course_v3 import Model0, Model1, Model2, Model3, Model4, Model5, loss4, acc4, V1LMDataLoader
from humannums_fastai.training import RECIPES

NV, NH = 40, 16

def xb(bs=8, sl=20, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, NV, (bs, sl), generator=g)

def test_recipes_registered():
    for n in 'model0_bn model1_loop model2_every model3_state model4_rnn model5_gru'.split():
        assert n in RECIPES and RECIPES[n].book and RECIPES[n].source == 'fastai course v3 lesson 7'

def test_last_token_models():
    x = xb(sl=3)
    for M in (Model0, Model1):
        assert M(NV, NH)(x).shape == (8, NV)
    assert Model0(NV, NH)(x[:, :2]).shape == (8, NV)   # a short last batch
    y = xb(sl=3, seed=1)
    out = torch.randn(8, NV)
    assert torch.allclose(loss4(out, y), F.cross_entropy(out, y[:, -1]))
    assert acc4(F.one_hot(y[:, -1], NV).float(), y) == 1

@pytest.mark.parametrize('M', [Model3, Model4, Model5])
def test_stateful(M):
    m = M(NV, NH).eval()
    x = xb()
    first = m(x)
    assert first.shape == (8, 20, NV)
    assert not m.h.requires_grad                       # detached
    assert not torch.allclose(m(x), first)             # the state carries over
    m.reset(); assert m.h is None
    assert torch.allclose(m(x), first)                 # reset gives a fresh start
    assert m(x[:3, :5]).shape == (3, 5, NV)            # state sized from the input
    assert m.h.shape[-2:] == (3, NH)

@pytest.mark.parametrize('M', [Model3, Model4, Model5])
def test_two_training_steps(M):
    m = M(NV, NH).train()
    for s in (0, 1):
        x, y = xb(seed=s), xb(seed=s+10)
        F.cross_entropy(m(x).flatten(0, 1), y.flatten()).backward()

def test_model2_every_token():
    assert Model2(NV, NH)(xb(sl=7)).shape == (8, 7, NV)

def test_v1_loader():
    stream = torch.arange(1000) % NV
    np.random.seed(0)
    dl = V1LMDataLoader(stream, bs=4, bptt=20)
    batches = list(dl)
    assert batches[0][0].shape == (4, 45)             # the first batch is bptt + max_len
    for x, y in batches: assert torch.equal(x[:, 1:], y[:, :-1])
    lens = [x.shape[1] for x, _ in batches]
    assert min(lens[:-1]) >= 5 and max(lens) <= 45 and sum(lens) <= 1000//4 - 1
    assert torch.equal(torch.cat([x for x, _ in batches], 1)[0], stream[:sum(lens)])  # row 0 is contiguous
