"Fast tests of `humannums_fastai.plain_pytorch`: the hand-written loop, the LSTM model, and their fastai twins."
import pytest, torch
from torch import nn
from torch.utils.data import DataLoader

@pytest.fixture(scope='module')
def small():
    from humannums_fastai.plain_pytorch import plain_dls
    train_dl, valid_dl, vocab = plain_dls()
    t = DataLoader(list(train_dl.dataset)[:3*64], batch_size=64, drop_last=True)
    v = DataLoader(list(valid_dl.dataset)[:2*64], batch_size=64, drop_last=True)
    return t, v, vocab

def test_plain_dls_counts():
    from humannums_fastai.plain_pytorch import plain_dls
    t, v, vocab = plain_dls()
    assert (len(t), len(v), len(vocab)) == (49, 12, 30)

def test_lstmlm_state_sized_from_input():
    from humannums_fastai.plain_pytorch import LSTMLM
    m = LSTMLM(30, 8, 2)
    x = torch.randint(0, 30, (4, 5))
    assert m(x).shape == (4, 5, 30) and m.h[0].shape == (2, 4, 8) and not m.h[0].requires_grad
    assert m(x[:2]).shape == (2, 5, 30)
    m.reset(); assert m.h is None

def test_train_loop_resets_each_phase(small):
    from humannums_fastai.plain_pytorch import train_loop, LSTMLM
    t, v, vocab = small
    log = []
    class Spy(nn.Module):
        def __init__(self): super().__init__(); self.m = LSTMLM(len(vocab), 8, 1)
        def reset(self): log.append('reset'); self.m.reset()
        def forward(self, x): log.append('train' if self.training else 'valid'); return self.m(x)
    hist = train_loop(Spy(), t, v, epochs=2, show=False)
    assert log == (['reset'] + ['train']*3 + ['reset'] + ['valid']*2) * 2
    assert [h['epoch'] for h in hist] == [0, 1]
    with pytest.raises(TypeError, match='reset'): train_loop(nn.Linear(2, 2), t, v, show=False)

def test_loop_learner_matches_train_loop(small):
    from humannums_fastai.plain_pytorch import train_loop, loop_learner, seeded_model, LSTMLM
    from fastai.basics import DataLoaders
    t, v, vocab = small
    make = lambda vs: LSTMLM(vs, 16, 1)
    hist = train_loop(seeded_model(make, len(vocab), 0), t, v, epochs=2, max_lr=0.5, show=False)
    learn = loop_learner(DataLoaders(t, v), seeded_model(make, len(vocab), 0), max_lr=0.5)
    with learn.no_bar(), learn.no_logging(): learn.fit(2)
    for h, r in zip(hist, learn.recorder.values):
        assert h['valid_loss'] == pytest.approx(float(r[1]), abs=1e-5)
        assert h['accuracy'] == pytest.approx(float(r[2]), abs=1e-5)

def test_recipes_registered():
    from humannums_fastai.plain_pytorch import lmmodel4_sgd, lstmlm_sgd
    from humannums_fastai.training import RECIPES, recipe_learner
    assert RECIPES['lmmodel4_sgd'] is lmmodel4_sgd and RECIPES['lstmlm_sgd'] is lstmlm_sgd
    learn = recipe_learner(lstmlm_sgd, seed=3)
    assert learn.wd == 5e-4 and learn.opt_func.keywords == dict(mom=0.9)
