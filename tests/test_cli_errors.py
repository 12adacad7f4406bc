"""`humannums generate`'s prompt and `main`'s exit statuses (issue 22): the default prompt follows the model's separator,
an unknown word is one short line, and only a bad input exits 2; a bug is an internal error."""
import contextlib, io
import pytest
import torch
from humannums_fastai import cli
from humannums_fastai.cli import main, EXIT_USAGE, EXIT_FAILED
from humannums_fastai.data import CorruptDatasetError
from humannums_fastai.models import RECIPES
from humannums_fastai.text import human_numbers_nums, course_vocab

COURSE = [n for n, r in RECIPES.items() if 'course v3' in r.source]

def run_main(*args):
    "`main(args)` in this process: `(status, stdout, stderr)`"
    with contextlib.redirect_stdout(io.StringIO()) as o, contextlib.redirect_stderr(io.StringIO()) as e:
        code = main(list(map(str, args)))
    return code, o.getvalue(), e.getvalue()

def one_line(err)->str:
    "The one line of `err`, an `error: ...` without a traceback"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: ') and 'Traceback' not in err, err
    return lines[0]

@pytest.fixture(scope='module')
def vocabs():
    return {'.': list(human_numbers_nums()[1]), ',': list(course_vocab())}

def model_file(folder, name, vocab):
    "A file as `save_trained` writes it (name, vocab, weights, record), with `name`'s untrained weights: enough to generate"
    torch.manual_seed(0)
    p = folder/f'{name}.pth'
    torch.save(dict(name=name, vocab=vocab, state_dict=RECIPES[name].model(len(vocab)).state_dict(), record=None), p)
    return p

def test_the_course_models_are_the_six():
    assert COURSE == ['model0_bn', 'model1_loop', 'model2_every', 'model3_state', 'model4_rnn', 'model5_gru']

@pytest.mark.parametrize('name,sep', [(n, ',') for n in COURSE] + [('lmmodel1', '.'), ('lmmodel7', '.')])
def test_default_prompt_follows_the_models_separator(tmp_path, vocabs, name, sep):
    code, out, err = run_main('generate', model_file(tmp_path, name, vocabs[sep]), '--n', 2)
    assert (code, err) == (0, ''), err
    assert out.startswith(f'{sep} eight thousand one {sep} |'), out

def test_an_explicit_prompt_is_used_as_given(tmp_path, vocabs):
    m = model_file(tmp_path, 'model3_state', vocabs[','])
    code, out, err = run_main('generate', m, '--prompt', 'one , two ,', '--n', 1)
    assert code == 0 and out.startswith('one , two , |'), (out, err)
    code, out, err = run_main('generate', m, '--prompt', '. eight thousand one .')  # not rewritten to ','
    assert (code, out) == (EXIT_USAGE, '') and "'.' is not a word" in one_line(err), err

@pytest.mark.parametrize('sep', ['.', ','])
def test_an_unknown_word_is_one_short_line_whose_advice_works(tmp_path, vocabs, sep):
    m = model_file(tmp_path, 'lmmodel3' if sep == '.' else 'model4_rnn', vocabs[sep])
    code, out, err = run_main('generate', m, '--prompt', 'eight thousand won')
    line = one_line(err)
    assert (code, out) == (EXIT_USAGE, ''), (code, out)  # nothing on stdout: the prompt is checked before it is echoed
    assert "'won' is not a word" in line and 'did you mean' in line, line
    shown = [w for w in vocabs[sep] if f' {w} ' in f' {line} '.replace("'", ' ')]
    assert len(shown) < 8 and 'seventeen' not in line and 'xxmaj' not in line, line  # not the whole vocabulary
    prompt = line.split("--prompt '")[1].rstrip("'")
    assert prompt == f'{sep} eight thousand one {sep}'
    assert run_main('generate', m, '--prompt', prompt, '--n', 1)[0] == 0
    assert "write numbers in words: 'eight thousand one'" in one_line(run_main('generate', m, '--prompt', '8001')[2])
    assert 'the prompt is empty' in one_line(run_main('generate', m, '--prompt', ' ')[2])

@pytest.mark.parametrize('exc', [ValueError('index 31 is out of range'), RuntimeError('shape mismatch'), KeyError('vocab')])
def test_a_bug_is_an_internal_error_not_a_bad_input(monkeypatch, exc):
    def bug(*a, **k): raise exc
    monkeypatch.setattr(cli, 'load_trained', bug)
    monkeypatch.delenv('HUMANNUMS_DEBUG', raising=False)
    code, out, err = run_main('generate', 'm.pth')
    line = one_line(err)
    assert code == EXIT_FAILED != EXIT_USAGE, (code, line)
    assert line.startswith('error: internal error at ') and type(exc).__name__ in line and 'HUMANNUMS_DEBUG=1' in line, line
    monkeypatch.setenv('HUMANNUMS_DEBUG', '1')
    code, out, err = run_main('generate', 'm.pth')
    assert code == EXIT_FAILED and err.startswith('Traceback') and err.strip().splitlines()[-1].startswith('error: internal error'), err

def test_bad_inputs_still_exit_2_before_any_training(monkeypatch):
    "The user's mistakes that used to reach status 2 as a `ValueError` still do, without training first"
    def no_training(*a, **k): raise AssertionError('trained before checking the arguments')
    monkeypatch.setattr(cli, 'fit_fresh', no_training)
    for args, want in [(['--epochs', 0], '--epochs must be >= 1'), (['--lr', -1], '--lr must be a number > 0'),
                       (['--lr', 'nan'], '--lr must be a number > 0'), (['--seed', 2**64], '--seed must be from')]:
        code, out, err = run_main('train', 'lmmodel1', *args)
        assert code == EXIT_USAGE and want in one_line(err), (args, code, err)
    assert '--seeds must be from' in one_line(run_main('reproduce', '--seeds', 2**64, '--out', '/nonexistent/x')[2])
    monkeypatch.setenv('HUMANNUMS_SEED_SHIFT', 'x')
    code, out, err = run_main('train', 'lmmodel1')
    assert code == EXIT_USAGE and 'HUMANNUMS_SEED_SHIFT must be a whole number' in one_line(err), err

def test_a_damaged_dataset_is_a_bad_input(monkeypatch):
    "`CorruptDatasetError` is a `ValueError`; it keeps status 2 wherever a command meets it"
    def damaged(*a, **k): raise CorruptDatasetError('valid.txt is a folder, not a file. Rebuild it with `humannums data`')
    monkeypatch.setattr(cli, 'fit_fresh', damaged)
    code, out, err = run_main('train', 'lmmodel1')
    assert code == EXIT_USAGE and 'valid.txt is a folder' in one_line(err), err
