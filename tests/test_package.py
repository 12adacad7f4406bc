"Tests of the installed package from outside the notebooks: imports, dataset, verifier, CLI."
import os, subprocess, sys, json
from pathlib import Path
import pytest

def test_public_imports():
    import humannums_fastai
    from humannums_fastai.data import num2words, write_human_numbers, verify_human_numbers, human_numbers_path
    from humannums_fastai.text import human_numbers_nums, numericalize
    from humannums_fastai.lmdata import group_chunks, dls_seqs3, dls_sl
    from humannums_fastai.training import Recipe, fit_recipe, RECIPES
    from humannums_fastai.models import LMModel1, LMModel2
    from humannums_fastai.cli import main
    assert humannums_fastai.__version__

def test_dataset_byte_identical_on_two_builds(tmp_path):
    from humannums_fastai.data import write_human_numbers, verify_human_numbers
    a, b = write_human_numbers(tmp_path/'a'), write_human_numbers(tmp_path/'b')
    for f in ('train.txt', 'valid.txt'): assert (a/f).read_bytes() == (b/f).read_bytes()
    facts = verify_human_numbers(a)
    assert (facts['n_lines'], facts['n_tokens'], facts['n_seqs3'], facts['n_valid_v1_tokens']) == (9998, 63095, 21031, 13017)
    assert (a/'train.txt').read_bytes().startswith(b'one \ntwo \nthree \n')
    assert (a/'valid.txt').read_bytes().endswith(b'nine thousand nine hundred ninety nine \n')

def test_verifier_rejects_truncated_file(tmp_path):
    from humannums_fastai.data import write_human_numbers, verify_human_numbers, CorruptDatasetError
    p = write_human_numbers(tmp_path)
    data = (p/'valid.txt').read_bytes()
    (p/'valid.txt').write_bytes(data[:len(data)//2])
    with pytest.raises(CorruptDatasetError, match='valid.txt'): verify_human_numbers(p)

def test_verifier_rejects_altered_file(tmp_path):
    from humannums_fastai.data import write_human_numbers, verify_human_numbers, CorruptDatasetError
    p = write_human_numbers(tmp_path)
    txt = (p/'train.txt').read_text().replace('one hundred five \n', 'one hundred and five \n')
    (p/'train.txt').write_text(txt)
    with pytest.raises(CorruptDatasetError, match=r'train.txt differs from the published file at line 105'):
        verify_human_numbers(p)

def _cli(*args, env=None):
    exe = Path(sys.executable).parent/'humannums'
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env)

def test_cli_data_builds_and_verifies(tmp_path):
    r = _cli('data', '--path', str(tmp_path/'hn'))
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'n_tokens' in r.stdout and '63095' in r.stdout
    from humannums_fastai.data import verify_human_numbers
    verify_human_numbers(tmp_path/'hn')

def test_cli_data_corrupt_exits_2_and_keeps_files(tmp_path):
    from humannums_fastai.data import write_human_numbers
    p = write_human_numbers(tmp_path)
    (p/'train.txt').write_text('one \ntwo \n')
    r = _cli('data', '--path', str(p))
    assert r.returncode == 2
    assert 'train.txt is truncated' in r.stderr and 'Traceback' not in r.stderr and r.stdout == ''
    assert (p/'train.txt').read_text() == 'one \ntwo \n'

def test_cli_data_default_path_uses_fastai_home(tmp_path):
    env = dict(os.environ, FASTAI_HOME=str(tmp_path/'fh'))
    r = _cli('data', env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (tmp_path/'fh'/'data'/'human_numbers'/'valid.txt').exists()

def test_cli_unknown_model_lists_choices():
    r = _cli('train', 'lmmodel99')
    assert r.returncode == 2
    assert "unknown model 'lmmodel99'" in r.stderr and 'lmmodel1' in r.stderr
    assert 'Traceback' not in r.stderr

def test_cli_unknown_command():
    r = _cli('frobnicate')
    assert r.returncode == 2 and 'unknown command' in r.stderr

def test_no_import_circle():
    "`training` and the model modules sit below `models`: none of them imports it, directly or inside a function"
    import ast, humannums_fastai
    pkg = Path(humannums_fastai.__file__).parent
    below = ['training', 'first_rnn', 'stateful_rnn', 'multilayer_rnn', 'lstm', 'plain_pytorch', 'regularization',
             'awd_lstm', 'copy_model', 'copy_increment', 'unseen_thousands', 'course_v3', 'evaluate', 'lmdata', 'text', 'data']
    for m in below:
        tree = ast.parse((pkg/f'{m}.py').read_text())
        mods = [n.module or '' for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        mods += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not [x for x in mods if x.endswith('models') or x.endswith('cli')], (m, mods)

def test_models_star_import_exports_every_model_and_recipe():
    ns = {}
    exec('from humannums_fastai.models import *', ns)
    import humannums_fastai.regularization as reg, humannums_fastai.unseen_thousands as ut
    for k in reg.__all__ + ut.__all__ + ['LMModel1', 'lmmodel1', 'get_recipe', 'load_trained', 'recipes_table']:
        assert k in ns, k
    assert ns['recipes_table']().loc['lmmodel7', 'book'] == 0.869
