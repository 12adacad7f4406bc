#!/usr/bin/env bash
# The series on a CUDA machine (issue 21): README's test command and the default `humannums reproduce`,
# each step timed, everything it prints kept in OUTDIR. Run from the repository root of a clone:
#   bash tools/gpu/run.sh OUTDIR [STEP ...]     steps: test0 reproduce layout testshift pytest (default: all)
# The machine's own torch (a CUDA build) is used; a virtual environment on top of it gets the project's other
# packages from wheels in .whl/ when there is no network (pip install --no-index), or from PyPI otherwise.
set -uo pipefail
out=${1:-gpu-out}; shift || true
steps=${*:-test0 reproduce layout testshift pytest}
mkdir -p "$out"
log() { echo "[$(date +%T)] $*" | tee -a "$out/summary.txt"; }
if [ ! -x /tmp/hv/bin/python ]; then
  python3 -m venv --system-site-packages /tmp/hv
  if [ -d .whl ]; then /tmp/hv/bin/pip install -q --no-index --no-deps --no-compile .whl/*.whl
  else /tmp/hv/bin/pip install -q fastai nbdev; fi
  /tmp/hv/bin/pip install -q --no-index --no-deps --no-build-isolation -e .
fi
export PATH=/tmp/hv/bin:$PATH
python - <<'PY' | tee -a "$out/summary.txt"
import torch, fastai, fastcore, nbdev
from fastai.torch_core import default_device
print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no GPU',
      '| fastai', fastai.__version__, 'fastcore', fastcore.__version__, 'nbdev', nbdev.__version__, '| default_device', default_device())
from humannums_fastai.lmdata import dls_seqs3
print('a DataLoaders of the package is on', dls_seqs3().device)
PY
run() { local name=$1 limit=$2; shift 2; local t0=$(date +%s)
  timeout "$limit" "$@" > "$out/$name.log" 2>&1; local rc=$?
  log "$name: exit $rc in $(( $(date +%s) - t0 )) s: $*"; }
for s in $steps; do case $s in
  test0)     run nbdev-test 330 nbdev-test --timing ;;
  testshift) sh=$(python3 tools/ci_shift.py); run nbdev-test-shift$sh 330 env HUMANNUMS_SEED_SHIFT=$sh nbdev-test --timing ;;  # README's second pass: the commit's shift
  reproduce) run reproduce 240 humannums reproduce --out "$out/results" ;;
  layout)    for j in 1 4 8; do run "layout-jobs$j" 120 humannums reproduce --models lmmodel3 lmmodel7 lmmodel10 --seeds 42 1 --jobs $j --out /tmp/layout$j; done ;;
  pytest)    run pytest 300 python -m pytest tests -q -x --ignore=tests/test_site.py -p no:cacheprovider ;;
esac; done
cp "$out/results/results.json" "$out/results/results.png" "$out/" 2>/dev/null
grep -h "secs\|Success\|Failed\|^\s*[0-9_a-z]*\.ipynb" "$out"/nbdev-test*.log | tail -50 >> "$out/summary.txt"
