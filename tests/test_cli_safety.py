"The `humannums` command as a user meets it (issue 13): no code runs from a model file, nothing is lost, every mistake is one line."
import json, os, resource, signal, subprocess, sys, tempfile, time
from pathlib import Path
import pytest
import torch

EXE = str(Path(sys.executable).parent/'humannums')
ROOT = os.geteuid() == 0

def cli(*args, env=None, preexec_fn=None, timeout=300, **kw):
    "Run `humannums ARGS` on one thread; the completed process"
    env = {**os.environ, 'OMP_NUM_THREADS': '1', **(env or {})}
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, env=env, preexec_fn=preexec_fn,
                          timeout=timeout, **kw)

def one_error_line(r, code):
    "`r` exited with `code` and printed exactly one line, `error: ...`, on stderr"
    assert r.returncode == code, (r.returncode, r.stdout[-2000:], r.stderr[-2000:])
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: ') and 'Traceback' not in r.stderr, r.stderr
    return lines[0]

def run_main(*args):
    "`main(args)` in this process: `(status, stderr)`"
    import contextlib, io
    from humannums_fastai.cli import main
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as e: code = main(list(map(str, args)))
    return code, e.getvalue()

def main_error_line(code, *args):
    "`main(args)` in this process exits with `code` and prints one line, `error: ...`, on stderr; that line"
    got, err = run_main(*args)
    lines = err.strip().splitlines()
    assert got == code and len(lines) == 1 and lines[0].startswith('error: ') and 'Traceback' not in err, (got, err)
    return lines[0]

@pytest.fixture(scope='module')
def model(tmp_path_factory):
    "A real LMModel1 file saved by `humannums train`, one epoch"
    p = tmp_path_factory.mktemp('model')/'m.pth'
    r = cli('train', 'lmmodel1', '--epochs', 1, '--quiet', '--save', p)
    assert r.returncode == 0, r.stderr
    return p

class Payload:
    "Unpickling this runs `touch MARKER`, as any shell command could"
    def __init__(self, fn): self.fn = str(fn)
    def __reduce__(self): return (os.system, (f'touch {self.fn}',))

@pytest.mark.parametrize('hidden', [False, True])
@pytest.mark.parametrize('cmd', [['generate', '--prompt', 'one'], ['count']])
def test_evil_model_file_runs_nothing(tmp_path, model, hidden, cmd):
    marker = tmp_path/'payload_ran'
    d = torch.load(model, weights_only=True)
    torch.save({**d, 'record': Payload(marker)} if hidden else Payload(marker), tmp_path/'evil.pth')
    # the file is a working payload: the unsafe load would run it
    torch.load(tmp_path/'evil.pth', weights_only=False); assert marker.exists(); marker.unlink()
    r = cli(cmd[0], tmp_path/'evil.pth', *cmd[1:])
    assert 'not only weights' in one_error_line(r, 2)
    assert not marker.exists()

def test_interrupted_save_keeps_the_old_file(tmp_path, model):
    "A write stopped part way (`ulimit -f 16`: 16 KB, the model is about 35 KB) keeps the old model, byte for byte"
    target = tmp_path/'m.pth'; target.write_bytes(model.read_bytes())
    assert target.stat().st_size > 16*1024
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (16*1024, resource.RLIM_INFINITY))
    r = cli('train', 'lmmodel1', '--epochs', 1, '--seed', 3, '--quiet', '--save', target, preexec_fn=limit)
    assert 'unchanged' in one_error_line(r, 1)
    assert target.read_bytes() == model.read_bytes()
    assert sorted(o.name for o in tmp_path.iterdir()) == ['m.pth']  # no temporary file left

def test_save_replaces_a_model_atomically(tmp_path, model):
    target = tmp_path/'m.pth'; target.write_bytes(b'old')
    r = cli('train', 'lmmodel1', '--epochs', 1, '--quiet', '--save', target)
    assert r.returncode == 0 and target.read_bytes() != b'old', r.stderr
    assert sorted(o.name for o in tmp_path.iterdir()) == ['m.pth']

def test_bad_save_path_fails_before_training(tmp_path):
    (tmp_path/'file').write_text('x')
    for bad, why in [(tmp_path, 'is a folder'), (tmp_path/'file'/'m.pth', 'is a file, not a folder')]:
        t = time.time(); r = cli('train', 'lmmodel7', '--save', bad)  # 15 epochs: minutes if it trained first
        assert why in one_error_line(r, 2) and time.time() - t < 60

def test_read_only_folders(tmp_path, monkeypatch):
    "A read-only save folder, a dataset folder we cannot read, one we cannot build in: one line each, status 2"
    ro, hidden = tmp_path/'ro', tmp_path/'hidden'
    ro.mkdir(); hidden.mkdir()
    for f in ('train.txt', 'valid.txt'): (hidden/f).write_text('x')
    under = lambda p, d: str(Path(p).absolute()).startswith(str(d))
    if ROOT:  # root reads and writes through any mode bits: make the operating system's answers say no instead
        access, read_bytes, mkdtemp = os.access, Path.read_bytes, tempfile.mkdtemp
        monkeypatch.setattr(os, 'access', lambda p, m, **k: False if under(p, ro) and m & os.W_OK else access(p, m, **k))
        def no_read(self):
            if under(self, hidden): raise PermissionError(13, 'Permission denied', str(self))
            return read_bytes(self)
        monkeypatch.setattr(Path, 'read_bytes', no_read)
        def no_write(*a, dir=None, **k):
            if dir is not None and under(dir, ro): raise PermissionError(13, 'Permission denied', str(dir))
            return mkdtemp(*a, dir=dir, **k)
        monkeypatch.setattr(tempfile, 'mkdtemp', no_write)
    else:
        os.chmod(ro, 0o555); os.chmod(hidden, 0o000)
    try:
        for args, want in [(('train', 'lmmodel1', '--save', ro/'m.pth'), 'not writable'),
                           (('data', '--path', hidden), 'Permission denied'),
                           (('data', '--path', ro/'hn'), 'Permission denied')]:
            code, err = run_main(*args)
            assert code == 2 and len(err.strip().splitlines()) == 1 and want in err, (args, code, err)
        assert not (ro/'m.pth').exists()
    finally:
        os.chmod(ro, 0o755); os.chmod(hidden, 0o755)

def test_non_finite_loss_stops_and_saves_nothing(tmp_path):
    for lr in ('inf', '1e9'):
        r = cli('train', 'lmmodel1', '--epochs', 1, '--lr', lr, '--quiet', '--save', tmp_path/'m.pth')
        line = one_error_line(r, 1)
        assert 'loss became' in line and ('nan' in line or 'inf' in line) and 'nothing was saved' in line
        assert not (tmp_path/'m.pth').exists()

def test_bad_model_files(tmp_path, model):
    d = torch.load(model, weights_only=True)
    torch.save({k: v for k, v in d.items() if k != 'name'}, tmp_path/'noname.pth')
    torch.save({**d, 'vocab': d['vocab'] + ['ten_thousand']}, tmp_path/'vocab.pth')
    (tmp_path/'junk.pth').write_bytes(b'not a model')
    assert 'does not name its model' in main_error_line(2, 'generate', tmp_path/'noname.pth')
    assert '31-word vocab' in main_error_line(2, 'count', tmp_path/'vocab.pth')
    assert 'is not a model' in main_error_line(2, 'count', tmp_path/'junk.pth')
    assert 'is a folder' in main_error_line(2, 'count', tmp_path)

def test_generate_arguments(model):
    assert 'finite' in main_error_line(2, 'generate', model, '--temperature', 'nan')
    assert 'from 1 to 1000' in main_error_line(2, 'generate', model, '--n', 100000)
    r = cli('generate', model, '--n', 3)
    assert r.returncode == 0 and r.stdout.count('.') >= 3 and r.stderr == '', r.stderr

def test_bare_command_and_help():
    r = cli()
    assert r.returncode == 2 and 'usage: humannums' in r.stderr and r.stdout == ''
    code, err = run_main('--help')
    assert code == 0 and err == ''

def test_closed_pipe_is_quiet(model):
    "`humannums count m.pth | head -1` once head has gone: no BrokenPipeError, the status of a tool killed by SIGPIPE"
    for cmd in (['count', str(model)], ['generate', str(model), '--n', 50]):
        p = subprocess.Popen([EXE, *map(str, cmd)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, 'OMP_NUM_THREADS': '1'})
        p.stdout.close()  # the reader is gone before the first line
        err = p.stderr.read(); p.wait(timeout=120)
        assert p.returncode == 141 and err == '', (cmd, p.returncode, err)

def test_damaged_dataset_advice_works(tmp_path):
    "A half-built dataset folder: every command says how to rebuild it, and that command works"
    hn = tmp_path/'hn'; hn.mkdir(); (hn/'train.txt').write_text('one \ntwo \n')
    line = main_error_line(2, 'data', '--path', hn)
    fix = line.split('Rebuild it with `')[1].split('`')[0]
    assert fix.startswith('humannums data --path ')
    r = cli(*fix.split()[1:])
    assert r.returncode == 0 and 'HUMAN_NUMBERS ready' in r.stdout, r.stderr
    (hn/'valid.txt').unlink(); (hn/'valid.txt').mkdir()
    assert 'valid.txt is a folder' in main_error_line(2, 'data', '--path', hn)
    fh = tmp_path/'fh'/'data'; fh.mkdir(parents=True); (fh/'human_numbers').symlink_to(hn)
    assert 'valid.txt is a folder' in one_error_line(cli('train', 'lmmodel1', '--epochs', 1, env=dict(FASTAI_HOME=str(tmp_path/'fh'))), 2)

def reproduce(out, *args, **kw):
    return subprocess.Popen([EXE, 'reproduce', '--out', str(out), *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'},
                            preexec_fn=_default_sigint, **kw)

def _default_sigint():
    "In the child: SIGINT as a terminal delivers it, even when this test runs under `cmd &` (which ignores SIGINT)"
    signal.signal(signal.SIGINT, signal.SIG_DFL)

def test_two_runs_into_one_folder_keep_every_record(tmp_path):
    (tmp_path/'results.json').write_text(json.dumps([dict(model='lmmodel5', seed=7, accuracy=0.5, book=None)]))
    a = reproduce(tmp_path, '--models', 'lmmodel1', '--seeds', 1, 2, '--jobs', 1)
    b = reproduce(tmp_path, '--models', 'lmmodel2', '--seeds', 1, 2, '--jobs', 1)
    for p in (a, b):
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    recs = json.loads((tmp_path/'results.json').read_text())
    assert sorted((r['model'], r['seed']) for r in recs) == [('lmmodel1', 1), ('lmmodel1', 2), ('lmmodel2', 1), ('lmmodel2', 2), ('lmmodel5', 7)]
    # a later run of one model replaces only its own records
    r = cli('reproduce', '--models', 'lmmodel1', '--seeds', 2, '--out', tmp_path, '--jobs', 1)
    assert r.returncode == 0, r.stderr
    assert len(json.loads((tmp_path/'results.json').read_text())) == 5

@pytest.mark.parametrize('jobs', [1, 2])
def test_ctrl_c_keeps_finished_records(tmp_path, jobs):
    p = reproduce(tmp_path, '--models', 'lmmodel1', 'lmmodel2', 'lmmodel3', 'lmmodel7', '--seeds', 42, '--jobs', jobs)
    t = time.time()
    while not (tmp_path/'results.json').exists() and time.time() - t < 120: time.sleep(0.2)
    assert (tmp_path/'results.json').exists(), p.communicate()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    kept = json.loads((tmp_path/'results.json').read_text())
    assert p.returncode == 130, err
    assert err.strip().splitlines() == [f"interrupted: {len(kept)} of 4 trainings finished; their records are in {tmp_path/'results.json'}"]
    assert 1 <= len(kept) < 4 and 'Traceback' not in err
