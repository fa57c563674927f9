#!/bin/bash
# The learning curve's GPU session (issue 26): on one GPU, side by side, everything done within DEADLINE seconds:
#   - photos128 on the horses, seeds 0-2 (benchmarks/horse.py as users run it), its GAN phase capped at H128 hours;
#   - photos32 long runs on the horses (python -m lgan.lab.curve train), their GAN phase capped at H32 hours, each then
#     scored (curve score) at its two largest doubling points from 81,920: the preset (seed 0, fp32 like the CPU curve),
#     photos64 (its recipe at 64 px, with the restart guard) and a screen at the flat part (the perturbation ranges doubled), seeds 0-2 each
#     (session 18 ran the frame prior at 0.25 where the 64 px runs are now: it lost at 81,920 images, nbs/experiments/curve.ipynb);
#   - benchmarks/throughput.py --check (the fast GPU path computes what the plain one does, and resumes).
# On the device machine, from the repo root, the horses copied to .device/horse (carried):
#   bash benchmarks/device_curve.sh            # env: OUT, DATA, DEADLINE (s), H128, H32 (hours), EVERY, X (overrides for every run), X128 (photos128's)
# Everything lands in $OUT/curve_gpu.tgz (the points' JSON and pictures, horse.py's JSON and pictures, stats and logs).
# A CPU rehearsal: DEADLINE=300 H128=0.01 H32=0.01 EVERY=32 X='device=cpu model.width=0.0625 seg.steps=8 seg.decay_at=6 seg.self_steps=2 seg.n_pairs=64' X128='data.res=32 gan.batch=8' OUT=/tmp/o bash benchmarks/device_curve.sh
set -u
PY=${PY:-python3}; OUT=${OUT:-/tmp/out}; DATA=${DATA:-.device/horse}; DEADLINE=${DEADLINE:-560}
H128=${H128:-0.09}; H32=${H32:-0.115}; EVERY=${EVERY:-10240}; X=${X:-}; X128=${X128:-}
W=${W:-/tmp/cg}; rm -rf "$W"; mkdir -p "$W"/res "$W"/runs "$OUT"
export PYTHONPATH=$PWD LGAN_CACHE=$W/cache PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1
t0=$(date +%s); left() { echo $(( DEADLINE - ($(date +%s) - t0) - 15 )); }
tl() { local l; l=$(left); [ "$l" -lt 1 ] && l=1; echo $l; }   # a timeout for what starts now (timeout 0 would mean none)
$PY -c "import torch; print(torch.__version__, torch.cuda.get_device_name() if torch.cuda.is_available() else 'no GPU')"
nvidia-smi --query-gpu=name,memory.used,utilization.gpu --format=csv 2>/dev/null
$PY - "$DATA" $X <<'PY' || exit 1
import sys   # the caches once (32, 64 and 128 px), before the parallel jobs
from lgan.config import make_config; from lgan.train.gan import open_real; from lgan.eval import eval_data
for p, res in (('photos32', 32), ('photos64', 64), ('photos128', 128)):
    c = make_config(p, [f'data.path={sys.argv[1]}', 'data.layout=images+masks', f'data.res={res}'] + sys.argv[2:]); open_real(c, progress=False); eval_data(c)
PY
echo "caches ready in $(( $(date +%s) - t0 )) s"

pack() {   # the results so far into $OUT/curve_gpu.tgz (written aside, then moved)
  (cd $W && tar czf "$OUT/.curve_gpu.tgz" res runs/*.log runs/*/stats.jsonl runs/*/config.json \
     $(for d in runs/*/layers runs/*/samples; do ls -t $d/*.png 2>/dev/null | head -1; done) 2>/dev/null; mv "$OUT/.curve_gpu.tgz" "$OUT/curve_gpu.tgz")
}

long() {   # name seed preset overrides...: a capped long run, then its two largest doubling points scored (largest first)
  local name=$1 seed=$2 preset=$3; shift 3; local run=$W/runs/$name-s$seed
  $PY -m lgan.lab.curve train --preset $preset --data "$DATA" --images 2621440 --every $EVERY --seed $seed --run $run \
      gan.hours=$H32 gan.amp=false "$@" $X > $W/runs/$name-s$seed.log 2>&1
  local pts; pts=$($PY - $run $EVERY <<'PY'
import sys; from lgan.lab.curve import doubling_points; from lgan.train.run import checkpoint_path
d = [n for n in doubling_points(8 * int(sys.argv[2]), 2621440) if checkpoint_path(sys.argv[1], 'gan', n).exists()]
print(','.join(map(str, reversed(d[-2:]))))
PY
)
  echo "$name s$seed: GAN done at $(( $(date +%s) - t0 )) s, points: ${pts:-none}"
  [ -n "$pts" ] && timeout $(tl) $PY -m lgan.lab.curve score $run --out $W/res/$name-s$seed --points $pts >> $W/runs/$name-s$seed.log 2>&1
  echo "$name s$seed: scored at $(( $(date +%s) - t0 )) s"; grep -h "IoU" $W/runs/$name-s$seed.log
}

for s in 0 1 2; do
  timeout $(tl) $PY benchmarks/horse.py --preset photos128 --seed $s --data "$DATA" --out $W/res/photos128 --run $W/runs/p128-s$s \
      gan.hours=$H128 $X $X128 > $W/runs/p128-s$s.log 2>&1 &
done
long preset 0 photos32 &
for s in 0 1 2; do long perturb2x $s photos32 gan.shift_range=0.25 gan.scale_range=0.2 gan.rot_range=20 & done
for s in 0 1 2; do long res64 $s photos64 & done
$PY benchmarks/throughput.py --check --skip gan,seg_train,seg_infer --out $W/res/check_h200.json $X > $W/runs/check.log 2>&1 &
( while sleep 30; do echo "t=$(( $(date +%s) - t0 )) s: $(nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader 2>/dev/null)"
                    [ $(left) -lt 200 ] && pack; done ) &   # packed as it goes too: a run stopped at the call's limit still returns its points
mon=$!
while [ $(jobs -rp | wc -l) -gt 1 ] && [ $(left) -gt 0 ]; do sleep 5; done
kill $mon; pkill -f -- "$W/" 2>/dev/null   # what is still running of this script (every job names a path under $W)
echo "done at $(( $(date +%s) - t0 )) s"; grep -h "IoU\|Error\|error" $W/runs/p128-s*.log | tail -12
pack; ls -la "$OUT"
