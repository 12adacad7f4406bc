"Tests of `humannums_fastai.unseen_thousands` (LMModel10) from outside the notebooks."
import math
import pytest, torch
from humannums_fastai.unseen_thousands import (DIGITS, thousands_digits, swap_digits, LMModel10,
                                               lmmodel10, _lmmodel10)
from humannums_fastai.copy_increment import LMModel9, NoWeightDecay
from humannums_fastai.data import BOOK_VOCAB
from humannums_fastai.training import RECIPES, fit_recipe, save_trained
from humannums_fastai.models import load_trained

VOCAB = list(BOOK_VOCAB)
def ids(s): return torch.tensor([[VOCAB.index(w) for w in s.split()]])
DIG, TH = torch.tensor([VOCAB.index(w) for w in DIGITS]), VOCAB.index('thousand')

def test_thousands_digits_marks_only_a_digit_before_thousand():
    x = ids('nine thousand nine hundred nine . two thousand')
    assert thousands_digits(x, DIG, TH).int().tolist() == [[1, 0, 0, 0, 0, 0, 1, 0]]
    assert not thousands_digits(ids('. two'), DIG, TH).any()  # the next token is in the next batch: unknown

def test_swap_digits_changes_only_masked_tokens_to_digits():
    torch.manual_seed(0)
    x = ids('. seven thousand seven hundred seven .').expand(500, -1)
    m = thousands_digits(x, DIG, TH)
    assert torch.equal(swap_digits(x, m, DIG, 0.), x)
    xs = swap_digits(x, m, DIG, 1.)
    assert torch.equal(xs[:, [0, 2, 3, 4, 5, 6]], x[:, [0, 2, 3, 4, 5, 6]])
    assert set(xs[:, 1].tolist()) == set(DIG.tolist())           # every digit drawn, nothing else

def test_lmmodel10_is_lmmodel9_at_inference_and_noisy_in_training():
    torch.manual_seed(0)
    m9, m10 = LMModel9(30, 16, 2, 0.1, k=8).eval(), LMModel10(VOCAB, 16, 2, 0.1, k=8).eval()
    m10.load_state_dict(m9.state_dict())
    x = torch.randint(0, 30, (3, 12))
    assert torch.allclose(m10(x)[0], m9(x)[0], atol=1e-6)
    assert m10.carry_price() == 1. and torch.equal(m10.reads(x), x)
    m10.train()
    assert m10.carry_price() == pytest.approx(math.exp(-1.))
    x = ids('. nine thousand one . nine thousand two .').expand(200, -1)
    xr = m10.reads(x)
    assert torch.equal(xr[:, [0, 2, 3, 4, 6, 7, 8]], x[:, [0, 2, 3, 4, 6, 7, 8]]) and (xr != x).any()

def test_lmmodel10_needs_the_digit_words():
    with pytest.raises(ValueError, match="missing: \\['five'"): LMModel10(VOCAB[:5], 16, 1, 0.)
    with pytest.raises(ValueError, match="not 31"): _lmmodel10(31)

def test_recipe_trains_saves_and_loads(tmp_path):
    assert RECIPES['lmmodel10'] is lmmodel10 and lmmodel10.epochs == 30
    learn, rec = fit_recipe(lmmodel10, seed=0, epochs=1, quiet=True)
    assert 0 < rec['accuracy'] <= 1 and isinstance(learn.model, LMModel10)
    assert learn.opt.state[learn.model.succ]['do_wd'] is False
    p = save_trained(learn, 'lmmodel10', tmp_path/'m10.pth', rec)
    model, vocab, _ = load_trained(p)
    assert isinstance(model, LMModel10) and not model.training and vocab == VOCAB
