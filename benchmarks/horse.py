"""lgan on a folder of labelled photos (the Weizmann horses by default): train without masks, score the segmenter against the true masks.

    python benchmarks/horse.py --preset photos32 --seed 0                    # CPU scale (2 cores: under 30 min)
    python benchmarks/horse.py --preset photos64 --seed 0                    # 64 px on 2 CPU cores: about an hour
    python benchmarks/horse.py --preset photos128 --seed 0 --data /path/to/images+masks --out $OUT   # one H100/H200
    python benchmarks/horse.py --preset P --data DIR                         # any images/ + masks/ folder (matched by file stem)
    python benchmarks/horse.py --preset photos32-v0 --seed 0                 # a research baseline of the lab (lgan.lab.core.BASES)
    python benchmarks/horse.py --preset photos32 --seed 0 --figures gan.d_warmup=3200   # a screen's arm: judged and pictured too

Protocol (../shared/data/README.md): lgan learns from the 328 photos alone; every image and mask is resized (shorter
side) to the resolution and centre-cropped, F's output is thresholded at 0.5, and ACC / IoU / mIoU are pooled over
all pixels of the 328 images. Prints the scores beside the reference figures, the images seen by D, the wall time and
the device; writes `results/horse-<preset>-s<seed>.json` (or into --out) and a grid of photos with the true and the
predicted masks (PNG beside the JSON). Extra `key=value` arguments override the preset (e.g. gan.diffaug='').
With --figures the JSON also holds what a run is judged by (`lgan.lab.recipes.quality_figures`: binary coverage,
leak_bg, the collapse verdict, the kinds of error) and `<name>-layers.png` draws x_b, x_f and pi for every parent code.
"""
import argparse, json, sys, time
from pathlib import Path

import torch

from lgan.core import get_device
from lgan.train.fast import device_name
from lgan.config import ConfigError
from lgan.data import shared_data_dir
from lgan.lab.core import base_config, masks_picture, commit

REFERENCE = {   # ../shared/data/weizmann_horse README, pooled over the 328 images
    'everything foreground (64 px)': {'acc': 30.9, 'iou': 30.9, 'miou': 15.5},
    'centered ellipse (128 px)': {'acc': 69.8, 'iou': 43.7, 'miou': 52.1},
    'OpenCV GrabCut (128 px)': {'acc': 81.6, 'iou': 44.9, 'miou': 61.6},
    'U-Net trained WITH masks (64 px, upper bound)': {'acc': 96.0, 'iou': 87.9, 'miou': 91.2},
}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--preset', default='photos32', help='a preset from lgan.config.PRESETS (photos32: CPU, photos64: CPU for about an hour, photos128: GPU; horse32/horse128 are aliases) or a baseline from lgan.lab.core.BASES')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--data', default=None, help='an images/ + masks/ folder (default: ../shared/data/weizmann_horse)')
    ap.add_argument('--out', default='results', help='folder for the JSON result and the grid')
    ap.add_argument('--run', default=None, help='run folder (default runs/horse-<preset>-s<seed>); an existing one is resumed')
    ap.add_argument('--figures', action='store_true', help="also judge the run (binary coverage, leak_bg, the collapse verdict, the kinds of error: 'figures' in the JSON) and draw its layers (<name>-layers.png)")
    ap.add_argument('overrides', nargs='*', help='key=value config overrides')
    a = ap.parse_args(argv)
    data = Path(a.data) if a.data else shared_data_dir('weizmann_horse')
    if data is None or not Path(data).is_dir():
        sys.exit(f"horse.py: no dataset folder at {a.data or '../shared/data/weizmann_horse'}: pass --data DIR (an images/ + masks/ folder)")
    try: cfg = base_config(a.preset, [f'seed={a.seed}', f'data.path={data}', 'data.layout=images+masks'] + a.overrides)
    except ConfigError as e: sys.exit(f"horse.py: {e}")
    from lgan.train.alternate import fit
    from lgan.eval import evaluate_run
    from lgan.train.run import read_stats, RunInterrupted
    from lgan.train.collapse import CollapseError

    tag = f'horse-{a.preset}-s{a.seed}'
    run = Path(a.run or f'runs/{tag}')
    t0, started_at = time.time(), commit()   # the lgan the run started with (a resumed run may finish under another)
    try: fit(cfg, run)
    except RunInterrupted as e: sys.exit(f"horse.py: {e}")   # checkpointed; the same command resumes
    except CollapseError as e: sys.exit(f"horse.py: {e}")    # the restart guard gave up (gan.collapse_policy=restart); the run folder keeps its checkpoints
    train_s = time.time() - t0
    r = evaluate_run(run, fid=False, verbose=False)
    gan_s = sum(s['time'] for s in _last_per_phase(read_stats(run/'stats.jsonl')) if s['phase'].endswith('gan'))
    dev = get_device(cfg.device)
    out = {'preset': a.preset, 'seed': a.seed, 'res': cfg.data.res, 'n_images': r['seg']['n'],
           'acc': round(r['seg']['acc'], 2), 'iou': round(r['seg']['iou'], 2), 'miou': round(r['seg']['miou'], 2),
           'images_seen': r['images_seen'], 'train_seconds': round(train_s, 1), 'gan_seconds': round(gan_s, 1),
           'device': device_name(dev), 'torch': torch.__version__,
           'overrides': a.overrides, 'command': 'python benchmarks/horse.py ' + ' '.join(argv or sys.argv[1:]),
           'data': str(data), 'commit': started_at}
    from lgan.eval import eval_data
    from lgan.baselines import score_baselines
    base = {f'{k} ({cfg.data.res} px)': v for k, v in score_baselines(eval_data(cfg).masks).items()}   # the priors on THIS data
    horses = Path(data).resolve() == (shared_data_dir('weizmann_horse') or Path('/nonexistent')).resolve()
    out['baselines'] = base
    if horses: out['reference'] = REFERENCE
    Path(a.out).mkdir(parents=True, exist_ok=True)
    name = tag + ('-' + '-'.join(o.replace('=', '').replace('.', '').replace(',', '') for o in a.overrides) if a.overrides else '')
    if a.figures:
        from lgan.lab.recipes import judge
        out['figures'] = judge(run, Path(a.out)/name, a.seed)
    (Path(a.out)/f'{name}.json').write_text(json.dumps(out, indent=1) + '\n')
    masks_picture(run, cfg, Path(a.out)/f'{name}.png', n=16)
    print(f"\n{Path(data).name}: {out['n_images']} photos at {out['res']} px, pooled over all pixels "
          f"(preset {a.preset}, seed {a.seed}, {out['device']})")
    rows = {f'lgan ({a.preset})': out} | base | (REFERENCE if horses else {})
    w = max(map(len, rows))
    print(f"{'':{w}}  {'ACC':>6} {'IoU':>6} {'mIoU':>6}")
    for k, v in rows.items(): print(f"{k:{w}}  {v['acc']:6.1f} {v['iou']:6.1f} {v['miou']:6.1f}")
    print(f"images seen by D: {out['images_seen']:,}; training {train_s / 60:.1f} min (GAN {gan_s / 60:.1f} min); "
          f"result {Path(a.out)/f'{name}.json'}")
    if a.figures:
        f = out['figures']
        print(f"G's masks: binary coverage {f['coverage_bin']:.2f} (true masks {f['errors']['coverage_true']:.2f}), leak_bg {f['leak_bg']:.2f}, "
              f"collapse check: {f['collapse'] or 'no verdict'}; F: precision {f['errors']['precision']:.0f}, recall {f['errors']['recall']:.0f}; "
              f"layers {Path(a.out)/f'{name}-layers.png'}")
    return out


def _last_per_phase(stats: list) -> list:
    "The last stats record of each phase (its `time` is the phase's wall time)."
    last = {}
    for s in stats: last[s['phase']] = s
    return list(last.values())


if __name__ == '__main__':
    main()
