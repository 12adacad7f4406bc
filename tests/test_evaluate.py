"Tests of `humannums_fastai.evaluate` from outside the notebooks: number parser, counting scores, generation, CLI errors."
import pytest, torch
from humannums_fastai.data import num2words
from humannums_fastai.evaluate import (words2num, parse_numbers, count_score, counting_prompt, encode, sample_next,
                                       generate_words, predict_next, Stepper, token_roles)
from humannums_fastai.cli import generate, count
from humannums_fastai.training import UsageError

def test_words2num_round_trip():
    assert [words2num(num2words(n)) for n in range(1, 10000)] == list(range(1, 10000))

@pytest.mark.parametrize('bad', ['eight thousand banana', '', 'thousand', 'one hundred zero', 'ten thousand',
                                 'twenty thirty', 'one two', 'eight thousand thousand'])
def test_words2num_rejects_non_numbers(bad):
    with pytest.raises(ValueError, match='number'): words2num(bad)

def test_words2num_names_the_bad_word():
    with pytest.raises(ValueError, match="'banana' is not a number word"): words2num('eight thousand banana')

def test_parse_numbers_keeps_complete_numbers_only():
    assert parse_numbers('eight thousand two . banana . eight thousand three . eight'.split()) == [8002, None, 8003]

@pytest.mark.parametrize('nums,start,n,want', [
    ([8002, 8003, 8004], 8001, None, dict(strict=3, local=1.)),
    ([8002, 8004, 8005], 8001, None, dict(strict=1, local=2/3)),
    ([8003, 8004, 8005, 8006], 8001, None, dict(strict=0, local=3/4)),
    ([None, 8003, 8004], 8001, None, dict(strict=0, local=1/3)),
    ([8002, 8003], 8001, 4, dict(strict=2, local=2/4)),
    ([9000, 9001, 9002], 8999, None, dict(strict=3, local=1.)),
    ([], 8001, 3, dict(strict=0, local=0.)),
])
def test_count_score_hand_made(nums, start, n, want):
    assert count_score(nums, start, n) == want

def test_counting_prompt():
    assert counting_prompt(8001) == '. eight thousand . eight thousand one .'
    assert counting_prompt(8001, 1) == '. eight thousand one .'
    with pytest.raises(ValueError): counting_prompt(1, 2)

def test_token_roles():
    assert token_roles('nine thousand nineteen . one hundred .'.split()) == [
        'thousands digit', 'thousand', 'units', '.', 'hundreds digit', 'hundred', '.']

VOCAB = ('one . two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen '
         'eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand').split()

def test_prompt_error_names_word_and_lists_vocab():
    with pytest.raises(UsageError, match=r"'banana' is not in the vocabulary; the vocabulary is: one \. two"):
        encode('. eight thousand banana .', VOCAB)
    with pytest.raises(UsageError, match='empty'): encode('   ', VOCAB)

def test_sample_next():
    s = torch.tensor([0., 3., 1., 2.])
    assert sample_next(s) == 1
    g = torch.Generator().manual_seed(0)
    assert {sample_next(s, 1., top_k=2, generator=g) for _ in range(100)} == {1, 3}
    with pytest.raises(ValueError): sample_next(s, -1.)

class Counter(torch.nn.Module):
    "A stateful sequence model that always predicts token `(last id + 1) % vocab`: checks the plumbing"
    def __init__(self, v=30):
        super().__init__(); self.v, self.w, self.calls = v, torch.nn.Parameter(torch.zeros(1)), 0
    def reset(self): self.calls = 0
    def forward(self, x):
        self.calls += 1
        return torch.nn.functional.one_hot((x + 1) % self.v, self.v).float() * 10 + self.w, None, None

def test_stepper_and_generation_with_a_stateful_model():
    m = Counter()
    assert int(predict_next(m, [3, 4]).argmax()) == 5
    st = Stepper(m, [3]); st.push(4)
    assert int(st.scores().argmax()) == 5
    assert generate_words(m, VOCAB, '. two', n=1, max_tokens=3) == ['three', 'four', 'five']
    assert generate_words(m, VOCAB, '. one', n=1) == ['.']

def test_cli_errors(tmp_path):
    with pytest.raises(UsageError, match='does not exist'): generate(str(tmp_path/'none.pth'))
    with pytest.raises(UsageError, match='does not exist'): count(str(tmp_path/'none.pth'))

def test_cli_prompt_error_with_a_saved_model(tmp_path):
    from humannums_fastai.training import fit_recipe, save_trained, bigram
    learn, rec = fit_recipe(bigram, epochs=1, quiet=True)
    p = save_trained(learn, 'bigram', tmp_path/'m.pth', rec)
    with pytest.raises(UsageError, match="'banana' is not a word of this model's vocabulary") as e:
        generate(str(p), '. eight thousand banana .')
    assert '\n' not in str(e.value) and 'fourteen' not in str(e.value), str(e.value)  # one line, never the vocabulary
    with pytest.raises(UsageError, match='--start must be from'): count(str(p), start=9998)
    assert len(generate(str(p), '. eight thousand one .', n=2).split()) >= 2

def test_error_breakdown_reads_an_lm_learner_in_batch_order():
    "fastai's `LMLearner` (the AWD-LSTM's) forces `concat_dim=1` in `get_preds`; the breakdown's targets must still be the stream's"
    import numpy as np
    from fastai.learner import Learner
    from humannums_fastai.text import human_numbers_nums
    from humannums_fastai.evaluate import error_breakdown, valid_positions
    from humannums_fastai.awd_lstm import awd_lstm
    from humannums_fastai.training import recipe_learner
    learn = recipe_learner(awd_lstm)
    with learn.no_bar():
        _, targs = Learner.get_preds(learn, dl=learn.dls.valid, reorder=False)
        bd = error_breakdown(learn)
    _, py, _ = valid_positions(learn.dls)
    tokens = np.array(list(human_numbers_nums()[0]))
    assert (np.array(list(learn.dls.vocab))[targs.reshape(-1)] == tokens[py.reshape(-1)]).all()
    assert bd.targets.sum() == py.numel() and bd.targets['.'] > 1000

def test_breakdown_refuses_other_batches_in_one_line():
    "The course-v3 batches (70, 70, 63 tokens over a text with xxbos and ',') are not the book's stream"
    from humannums_fastai.evaluate import valid_positions
    from humannums_fastai.course_v3 import dls_course
    with pytest.raises(ValueError, match="not one of the `02_lm_data` pipelines"): valid_positions(dls_course())
