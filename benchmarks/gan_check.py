"""Time lgan's plain GAN training step and run a short GAN phase; prints figures and writes them as JSON.

    python benchmarks/gan_check.py --out results/gan_check            # CPU or GPU, whatever get_device picks
    python benchmarks/gan_check.py --presets paper64 --train-images 192000 --out $OUT

(a) images/s of the plain eager step (every fast switch off; fp32 and, on CUDA, bf16 autocast) for each preset,
    timed by benchmarks/throughput.py's `time_gan` (which also times lgan's fast step against it);
(b) a short GAN phase of the `demo` preset on the embedded synthetic set: mask coverage vs the true foreground fraction,
    and the sample grid.
"""
import argparse, json, shutil, sys, time
from pathlib import Path
import torch
from lgan.core import get_device
from lgan.config import make_config
from lgan.train.gan import train_gan
from lgan.train.fast import device_name
from lgan.train.run import read_stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import PLAIN, real_data, time_gan      # one step timer for every benchmark


def time_step(preset, amp, device, steps, warmup=5):
    "The plain eager step of a preset (fp32, or bf16 autocast on CUDA)."
    cfg = make_config(preset, PLAIN + [f'gan.amp={amp}', f'device={device}'])
    r = time_gan(cfg, real_data(cfg.data.res, max(256, 4 * cfg.gan.batch)), device, steps, warmup)
    return {'preset': preset, 'res': cfg.data.res, 'batch': cfg.gan.batch, 'amp': bool(amp and device.type == 'cuda'), 'steps': steps} | r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default='results/gan_check')
    ap.add_argument('--presets', default='demo,paper64')
    ap.add_argument('--steps', type=int, default=20)
    ap.add_argument('--train-images', type=int, default=0, help='images for the short demo GAN phase (0: skip)')
    ap.add_argument('--device', default=None)
    ap.add_argument('--work', default=None, help='folder for the synthetic set, cache and run (default: under --out)')
    a = ap.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    dev = get_device(a.device)
    info = {'device': device_name(dev),
            'torch': torch.__version__, 'threads': torch.get_num_threads()}
    print(info, flush=True)
    rows = []
    for p in a.presets.split(','):
        for amp in ([False, True] if dev.type == 'cuda' else [False]):
            rows.append(time_step(p, amp, dev, a.steps)); print(rows[-1], flush=True)
    res = {'info': info, 'step': rows}
    if a.train_images:
        work = Path(a.work or out)
        cfg = make_config('demo', [f'gan.n_images={a.train_images}', f'gan.sample_every={a.train_images // 4}',
                                   f'gan.ckpt_every={a.train_images}', f'data.synthetic_root={work}/synthetic',
                                   f'data.cache_dir={work}/cache', f'device={dev}'])
        t = time.time()
        run = train_gan(cfg, work/'run', progress=False)
        st = read_stats(run.stats_path)
        meta = json.loads((work/'synthetic'/'train'/'meta.json').read_text())
        grids = sorted((work/'run'/'samples').glob('*.png'))
        if grids: shutil.copy(grids[-1], out/'grid.png')
        shutil.copy(run.stats_path, out/'stats.jsonl')
        res['train'] = {'images': st[-1]['images'], 'seconds': round(time.time() - t, 1), 'coverage': st[-1]['coverage'],
                        'coverage_bin': st[-1]['coverage_bin'], 'true_fg_fraction': meta['mean_fg_fraction'],
                        'img_per_s': st[-1]['img_per_s'],
                        'coverage_curve': [(r['images'], round(r['coverage'], 4)) for r in st[::max(1, len(st) // 20)]]}
        print(res['train'], flush=True)
    (out/'gan_check.json').write_text(json.dumps(res, indent=1))


if __name__ == '__main__':
    main()
