"Fast checks of `humannums_fastai.awd_lstm`: the book's split, the vocab, the model, the recipe, `token_errors`"
import torch
from torch import nn
from fastai.text.learner import LMLearner
from humannums_fastai.awd_lstm import (AWD_SMALL, book_split_df, dls_awd, awd_model, awd_lstm, awd_lstm_n01,
                                       token_errors, lm_learner)
from humannums_fastai.lmdata import dls_sl
from humannums_fastai.training import RECIPES, recipe_learner


def test_book_split_df_sizes():
    df = book_split_df()
    assert list(df.is_valid) == [False, True]
    assert [len(t.split()) for t in df.text] == [49*64*16 + 1, 12*64*16 + 1]


def test_dls_awd_is_dls_sl():
    dls, bdls = dls_awd(), dls_sl(sl=16, bs=64)
    vocab, book = dls.vocab, list(bdls.vocab)
    assert vocab[:2] == ['xxunk', 'xxpad']  # AWD_LSTM's pad_token=1 must not be a real token
    to_book = torch.tensor([book.index(w) if w in book else -1 for w in vocab], device=dls.device)
    for (xa, ya), (xb, yb) in zip(dls.valid, bdls.valid):
        assert torch.equal(to_book[xa], xb) and torch.equal(to_book[ya], yb)


def test_awd_model_tied_and_sized():
    m = awd_model(40)
    assert m[1].decoder.weight is m[0].encoder.weight
    assert m[0].encoder.weight.abs().max() <= 0.1  # fastai's init
    assert awd_model(40, normal_init=True)[0].encoder.weight.abs().max() > 1  # N(0, 1)
    assert m[0].emb_sz == AWD_SMALL['emb_sz'] == 64


def test_awd_model_drop_mult_tiny_survives_eval():
    m = awd_model(40, drop_mult=1e-6)
    x = torch.randint(0, 40, (2, 5))
    m.train(); m(x); m.eval()
    assert m(x)[0].shape == (2, 5, 40)


def test_recipes_registered():
    assert RECIPES['awd_lstm'] is awd_lstm and RECIPES['awd_lstm_n01'] is awd_lstm_n01
    learn = recipe_learner(awd_lstm, dls=dls_awd())
    assert isinstance(learn, LMLearner)
    assert learn.model[1].decoder.out_features == 40


class _AlwaysSep(nn.Module):
    "Predicts the separator everywhere"
    def __init__(self, sep_idx, vocab_sz): super().__init__(); self.sep_idx, self.vocab_sz = sep_idx, vocab_sz
    def reset(self): pass
    def forward(self, x):
        out = torch.zeros(*x.shape, self.vocab_sz)
        out[..., self.sep_idx] = 1.
        return out


def test_token_errors_kinds():
    dls = dls_awd()
    vocab = dls.vocab
    te = token_errors(_AlwaysSep(vocab.index('.'), len(vocab)), dls.valid, vocab)
    assert len(te) == 12*64*16
    assert set(te.kind) == {'first word', '.', 'rest'} and set(te.lead) == {'eight', 'nine'}
    assert te[te.kind == '.'].ok.all() and not te[te.kind != '.'].ok.any()
    assert set(te[te.kind == 'first word'].target) == {'eight', 'nine'}


def test_save_trained_load_trained_roundtrip(tmp_path):
    from humannums_fastai.training import save_trained
    from humannums_fastai.models import load_trained
    dls = dls_awd()
    learn = recipe_learner(awd_lstm, dls=dls)
    path = save_trained(learn, 'awd_lstm', tmp_path/'awd.pth')
    model, vocab, _ = load_trained(path)
    assert vocab == list(dls.vocab)
    x = dls.one_batch()[0][:2].cpu()  # both models are on the CPU: `recipe_learner` and `load_trained` do not move them
    learn.model.eval(); learn.model.reset(); model.reset()
    assert torch.allclose(learn.model(x)[0], model(x)[0])
