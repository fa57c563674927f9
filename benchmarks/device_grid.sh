#!/bin/bash
# Run experiment grids (lgan.experiments) on one GPU, many rows at once, and pack the results into $OUT/grid.tgz.
# On the device machine (no nbdev/fastcore/clean-fid there: carry clean-fid's wheel in .whl/):
#   bash benchmarks/device_grid.sh             # env: TABLES, SCALE, SEEDS, JOBS, DEADLINE (seconds), OUT
# Then, here: tar xzf grid.tgz -C results/experiments   (JSON per run; the logs and last sample grids go to runs/)
set -u
PY=${PY:-python3}
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
TABLES=${TABLES:-demo,table1,table3,table2,table4}; SCALE=${SCALE:-cpu}; SEEDS=${SEEDS:-0,1}; JOBS=${JOBS:-16}; DEADLINE=${DEADLINE:-330}
if ls .whl/*.whl >/dev/null 2>&1; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} LGAN_CACHE=${LGAN_CACHE:-/tmp/lgan_cache} PYTHONUNBUFFERED=1
$PY -c "import torch; print(torch.__version__, torch.cuda.get_device_name() if torch.cuda.is_available() else 'no GPU')"
t0=$(date +%s)
PRESET=$([ "$SCALE" = tiny ] && echo tiny || echo demo) $PY - "$@" <<'PY' || exit 1
import os, sys   # write the synthetic set and the caches once, before the parallel jobs
from lgan.config import make_config; from lgan.train.gan import open_real; from lgan.eval import eval_data
c = make_config(os.environ['PRESET'], sys.argv[1:]); open_real(c, progress=False); eval_data(c)
PY
echo "data ready in $(( $(date +%s) - t0 )) s"
$PY -m lgan.experiments "$TABLES" --scale "$SCALE" --seeds "$SEEDS" --jobs "$JOBS" --deadline "$DEADLINE" \
  --out /tmp/grid/res --runs /tmp/grid/runs gan.amp=false "$@" 2>&1 | tee /tmp/grid/grid.log
echo "grid done in $(( $(date +%s) - t0 )) s"
cd /tmp/grid && tar czf "$OUT/grid.tgz" res grid.log $(ls runs/*/*.log runs/*/*/rounds.jsonl runs/*/*/stats.jsonl runs/*/*/eval.json 2>/dev/null) \
  $(for d in runs/*/*/samples; do ls -t $d/round*-gan-*.png 2>/dev/null | head -1; done)
ls -la "$OUT"
