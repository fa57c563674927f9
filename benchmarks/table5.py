"""The baselines of the paper's Table 5 (lgan.baselines.table5_baselines) on the synthetic set and the Weizmann horses.

    OMP_NUM_THREADS=2 python benchmarks/table5.py                       # all three: synthetic 32 px, horses 64 and 128 px
    OMP_NUM_THREADS=2 python benchmarks/table5.py --sets horse64 --steps 1500

Everything foreground, the centered ellipse and GrabCut (box = image minus a 10% border, 5 iterations) learn nothing
and are scored on every evaluation image. The supervised U-Net (the preset's U-Net trained WITH the true masks):
  synthetic32  the demo preset at 32 px: trained on the 10,000 train images, scored on the 1,000 test images;
  horse64      the horse32 preset's U-Net (width 16, depth 3) at 64 px: trained on 2/3 of the 328 photos, scored on
               the held-out third (every 3rd image, i % 3 == 0: 110 photos);
  horse128     no U-Net (GrabCut and the priors only).
Horses follow ../shared/data/README.md: shorter side resized to the resolution, centre crop, pooled over all pixels.
Writes (and updates, set by set) results/table5_baselines.json; prints the rows beside the README's reference figures.
"""
import argparse, json, os, sys, time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from lgan.train.fast import device_name
from lgan.config import make_config
from lgan.core import get_device
from lgan.data import shared_data_dir
from lgan.eval import eval_data
from lgan.baselines import table5_baselines

REFERENCE = {   # ../shared/data/README.md, Weizmann horses, pooled over the 328 images (the U-Net: over the 110 held out)
    'horse64': {'everything foreground': {'acc': 30.9, 'iou': 30.9, 'miou': 15.5},
                'centered ellipse': {'acc': 69.7, 'iou': 43.6, 'miou': 52.1},
                'supervised U-Net': {'acc': 96.0, 'iou': 87.9, 'miou': 91.2}},
    'horse128': {'centered ellipse': {'acc': 69.8, 'iou': 43.7, 'miou': 52.1},
                 'GrabCut': {'acc': 81.6, 'iou': 44.9, 'miou': 61.6}},
}
SETS = ('synthetic32', 'horse64', 'horse128')


def run_set(name, a, horse_dir):
    "(the set's figures, its config) for one of SETS."
    if name == 'synthetic32':
        cfg = make_config('demo', [f'seed={a.seed}', f'device={a.device}'])
        test, train = eval_data(cfg, progress=False), eval_data(cfg, split='train', progress=False)
        what, tr, steps = f'synthetic set {cfg.data.synthetic_root} (test split; U-Net trained on the train split)', (train.images, train.masks), a.steps
    else:
        res = int(name[len('horse'):])
        cfg = make_config('horse32', [f'seed={a.seed}', f'device={a.device}', f'data.path={horse_dir}', f'data.res={res}'])
        test, tr, what = eval_data(cfg, progress=False), None, f'Weizmann horses {horse_dir}'
        steps = a.steps if res == 64 else 0
    t0 = time.time()
    rows = table5_baselines(test.images, test.masks, cfg, steps=steps, batch=a.batch, seed=a.seed, train=tr, progress=a.progress)
    dev = get_device(cfg.device)
    return {'data': what, 'res': cfg.data.res, 'n_images': len(test), 'rows': rows,
            'unet': {'width': cfg.model.unet_width, 'depth': cfg.model.unet_depth, 'lr': cfg.seg.lr, 'decay': cfg.seg.decay,
                     'decay_at': round(steps * cfg.seg.decay_at / cfg.seg.steps)} if steps else None,
            'steps': steps, 'batch': a.batch if steps else None, 'seed': a.seed, 'seconds': round(time.time() - t0, 1),
            'device': dev.type if dev.type != 'cuda' else 'cuda', 'device_name': device_name(dev)}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sets', nargs='+', default=list(SETS), choices=SETS)
    ap.add_argument('--steps', type=int, default=1500, help='supervised U-Net steps (0: no U-Net row)')
    ap.add_argument('--batch', type=int, default=16, help='supervised U-Net batch')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--data', default=None, help='the weizmann_horse folder (default: ../shared/data/weizmann_horse)')
    ap.add_argument('--out', default='results/table5_baselines.json', help='JSON file; the sets run here replace their entries')
    ap.add_argument('--progress', action='store_true', help='tqdm bar of the U-Net training')
    a = ap.parse_args(argv)
    horse_dir = Path(a.data) if a.data else shared_data_dir('weizmann_horse')
    if any(s.startswith('horse') for s in a.sets) and (horse_dir is None or not Path(horse_dir).is_dir()):
        sys.exit(f"table5.py: no Weizmann Horse folder at {a.data or '../shared/data/weizmann_horse'}: pass --data")
    import cv2
    out_file = Path(a.out)
    out = json.loads(out_file.read_text()) if out_file.exists() else {}
    cmd = 'python benchmarks/table5.py ' + ' '.join(argv if argv is not None else sys.argv[1:])
    for name in a.sets:
        r = run_set(name, a, horse_dir)
        r |= {'command': cmd, 'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS'), 'torch_threads': torch.get_num_threads(),
              'torch': torch.__version__, 'cv2': cv2.__version__, 'reference': REFERENCE.get(name)}
        out[name] = r
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(json.dumps(out, indent=1) + '\n')
        print(f"\n{name}: {r['data']}, {r['n_images']} images at {r['res']} px, pooled ({r['seconds']} s, {r['device_name']})")
        print(f"{'':24} {'ACC':>6} {'IoU':>6} {'mIoU':>6}  {'n':>5}  reference ACC/IoU/mIoU")
        for k, v in r['rows'].items():
            ref = (r['reference'] or {}).get(k)
            ref = f"{ref['acc']:.1f} / {ref['iou']:.1f} / {ref['miou']:.1f}" if ref else ''
            print(f"{k:24} {v['acc']:6.1f} {v['iou']:6.1f} {v['miou']:6.1f}  {v['n']:5}  {ref}")
    return out


if __name__ == '__main__':
    main()
