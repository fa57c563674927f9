"""Training and inference throughput of lgan against a plain fp32 eager baseline, in one run on one device.

    python benchmarks/throughput.py                                  # GPU: 64 and 128 px, batch 64, the paper's networks
    python benchmarks/throughput.py --out results/throughput_h200.json
    python benchmarks/throughput.py --device cpu                     # CPU: small sizes (16 and 32 px, width 1/16), seconds
    python benchmarks/throughput.py --check --compile default        # + a correctness check first, + a torch.compile variant
    python benchmarks/throughput.py --preset photos32 --device cpu   # exactly a preset users get (its networks, batch, augmentation),
                                                                     # repeated timings, written to results/throughput/<preset>-<cpu>.json

For each resolution it times
  gan        one GAN step (real batch drawn and augmented, D+E step, G step: hinge, MI, binarization, perturbation)
             (a) plain: fp32 eager, per-image torchvision transforms on the CPU, NCHW (every fast switch off)
             (b) lgan:  the config's defaults (bf16 autocast and a CUDA graph of the whole step on CUDA, channels-last,
                        real images on the device as uint8 with a batched crop + flip there; torch.compile with --compile)
             and, with --variants all, each switch added one at a time, to show what pays;
  seg_train  one step of the segmenter F (fresh pairs from G, colour jitter, BCE, Adam), plain vs lgan;
  seg_infer  F's probabilities for a batch (lgan.models.unet.predict), plain fp32 vs lgan (bf16 on CUDA, channels-last).
It prints images per second for each, the ratio lgan / plain, the model FLOPs per image (matrix products and
convolutions, torch.utils.flop_counter, counted on the plain path) and the fraction of the device's peak that lgan's
figure reaches (datasheet dense bf16 peak on NVIDIA GPUs, on CPUs the larger of the best fp32/bf16 matmul measured and threads x clock x 1.5 x FLOP/cycle, lgan.train.fast.cpu_peak). For the GAN it also
prints the time 1,000,000 images take. With --repeats R the plain and the lgan step are timed R times each, in turns
(so that a drift of the machine's speed touches both alike), and the median, the lowest and the highest figure are
reported. Nothing is asserted about speed: CI runs it on a CPU as a smoke test.
"""
import argparse, gc, json, platform, re, sys, time
from pathlib import Path

import torch

from lgan.config import make_config, C_SWITCHES
from lgan.core import get_device, seed_everything
from lgan.data import CachedDataset, train_transform
from lgan.models.unet import predict
from lgan.train.fast import PLAIN, count_flops, device_name, device_peak, to_channels_last, channels_last_input, cpu_bf16, tune_allocator
from lgan.train.gan import GANTrainer, step_differences
from lgan.train.real import real_sampler
from lgan.train.seg import SegTrainer

# what each diagnostic variant adds to the plain path, one switch at a time (the last is lgan's default on CUDA)
STAGES = [('+bf16', ['gan.amp=true']), ('+channels_last', ['gan.channels_last=true']),
          ('+device_data', ['gan.device_data=true']), ('+cuda_graph', ['gan.cuda_graph=true'])]


def sync(dev):
    if dev.type == 'cuda': torch.cuda.synchronize(dev)


def timed(fn, dev, steps, warmup):
    "Seconds per call of fn() after `warmup` calls; the device is synchronised only around the timed calls."
    for _ in range(warmup): fn()
    sync(dev)
    t = time.perf_counter()
    for _ in range(steps): fn()
    sync(dev)
    return (time.perf_counter() - t) / steps


def free(dev):
    gc.collect()
    if dev.type == 'cuda': torch.cuda.empty_cache()


def config(a, res, extra=()):
    if a.preset:     # the preset exactly as users get it (its resolution, batch, networks and augmentation)
        return make_config(a.preset, ['gan.collapse_check=false', 'gan.log_every=1000000000'] + list(a.overrides) + list(extra))
    return make_config('default', [f'data.res={res}', f'model.width={a.width}', f'gan.batch={a.batch}', f'seg.batch={a.seg_batch}',
                                   'gan.collapse_check=false', 'gan.log_every=1000000000'] + list(a.overrides) + list(extra))


def real_data(res, n, seed=0):
    "n random uint8 images at res, served like a cached dataset with the training transform (nothing on disk)."
    g = torch.Generator().manual_seed(seed)
    return CachedDataset(torch.randint(0, 256, (n, 3, res, res), dtype=torch.uint8, generator=g), transform=train_transform(res))


def gan_step(cfg, data, dev):
    "(one GAN step fed by the sampler the config asks for, as GANRun.train_once is; its trainer)."
    seed_everything(0)
    tr = GANTrainer(cfg, dev)
    sampler = real_sampler(cfg, data, 0, tr.device)
    return (lambda: tr.train_step(next(sampler).to(tr.device, non_blocking=True))), tr


def repeated(fns, batches, dev, steps, warmup, repeats):
    "Images per second of each callable in `fns` (a dict), timed `repeats` times in turns: {name: {img_per_s (median), min, max, runs, ms_per_step}}."
    for f in fns.values():
        for _ in range(warmup): f()
    runs = {k: [] for k in fns}
    for _ in range(repeats):
        for k, f in fns.items(): runs[k].append(batches[k] / timed(f, dev, steps, 0))
    out = {}
    for k, v in runs.items():
        med = sorted(v)[len(v) // 2]
        out[k] = {'img_per_s': round(med, 1), 'min': round(min(v), 1), 'max': round(max(v), 1), 'runs': [round(x, 1) for x in v],
                  'ms_per_step': round(1000 * batches[k] / med, 3)}
    return out


def time_gan(cfg, data, dev, steps, warmup):
    "Images per second of GANTrainer.train_step fed by the sampler the config asks for (as GANRun.train_once is)."
    step, tr = gan_step(cfg, data, dev)
    dt = timed(step, tr.device, steps, warmup)
    out = {'img_per_s': round(cfg.gan.batch / dt, 1), 'ms_per_step': round(1000 * dt, 3)}
    if getattr(tr, 'graph', None) is not None: out['cuda_graph'] = 'captured' if tr.graph.captured else f'not captured ({tr.graph.failed})'
    del tr; free(dev)
    return out


def gan_flops(cfg, dev):
    seed_everything(0)
    tr = GANTrainer(cfg, dev)
    real = torch.rand(cfg.gan.batch, 3, cfg.data.res, cfg.data.res, device=tr.device) * 2 - 1
    tr.train_step(real)
    f = count_flops(tr.train_step, real)
    del tr; free(dev)
    return f / cfg.gan.batch


def seg_trainer(cfg, dev):
    from lgan.models.generator import Generator
    seed_everything(0)
    G = Generator(cfg.model, cfg.data.res)
    return SegTrainer(cfg, G, dev)


def seg_pair(plain_cfg, fast_cfg, dev, steps, warmup, repeats):
    "The segmenter's step, plain and lgan, timed in turns."
    a, b = seg_trainer(plain_cfg, dev), seg_trainer(fast_cfg, dev)
    out = repeated({'plain': a.train_step, 'lgan': b.train_step}, {'plain': plain_cfg.seg.batch, 'lgan': fast_cfg.seg.batch}, dev, steps, warmup, repeats)
    del a, b; free(dev)
    return out['plain'], out['lgan']


def seg_flops(cfg, dev):
    tr = seg_trainer(cfg, dev)
    tr.train_step()
    f = count_flops(tr.train_step)
    del tr; free(dev)
    return f / cfg.seg.batch


def time_infer(cfg, dev, batch, steps, warmup, fast):
    from lgan.models.unet import UNet
    seed_everything(0)
    F = UNet.from_config(cfg.model).to(dev).eval()
    x = torch.rand(batch, 3, cfg.data.res, cfg.data.res, device=dev) * 2 - 1
    amp = fast and cfg.gan.amp and dev.type == 'cuda'
    if fast and cfg.gan.channels_last: to_channels_last(F); x = channels_last_input(x)
    dt = timed(lambda: predict(F, x, amp=amp), dev, steps, warmup)
    flops = count_flops(predict, F, x) / batch
    del F; free(dev)
    return {'img_per_s': round(batch / dt, 1), 'ms_per_batch': round(1000 * dt, 3)}, flops


def check(dev):
    "That the fast path computes what the plain path does (as nbs/20_train.fast.ipynb tests): largest loss differences, tiny networks."
    real = torch.rand(8, 3, 32, 32, generator=torch.Generator().manual_seed(0)) * 2 - 1
    base = ['data.res=32', 'gan.batch=8', f'device={dev}']
    # name: (overrides a, overrides b, steps, tolerance of the first step, tolerance of every step)
    cases = {'plain vs defaults': (PLAIN, [], 3, 1e-4, 1e-2)}
    if dev.type == 'cuda':
        fp32 = ['gan.amp=false', 'gan.cuda_graph=false']
        photos = [f'{k}={v}' for k, v in C_SWITCHES.items() if k.startswith('gan.')] + ['gan.perturb=false']   # the photos presets' GAN switches
        cases = {'eager vs cuda_graph (fp32)': (fp32 + ['gan.perturb=false'], ['gan.amp=false', 'gan.perturb=false'], 6, 1e-5, 1e-5),
                 'eager vs cuda_graph (photos, fp32)': (fp32 + photos, ['gan.amp=false'] + photos, 6, 1e-5, 1e-5),
                 'fp32 vs bf16': (fp32, ['gan.amp=true', 'gan.cuda_graph=false'], 1, 5e-2, 5e-2),   # the tiny preset turns amp off
                 'plain vs defaults': (PLAIN, ['gan.amp=true'], 1, 5e-2, 5e-2)}
    out = {}
    for name, (a, b, steps, tol1, tol) in cases.items():
        torch.backends.cudnn.deterministic = 'graph' in name     # bit-exact replays need deterministic cuDNN
        d, (_, tb) = step_differences(make_config('tiny', base + a), make_config('tiny', base + b), real, steps)
        torch.backends.cudnn.deterministic = False
        first, worst = max(d[0].values()), max(max(x.values()) for x in d)
        graph = getattr(tb, 'graph', None)
        ok = first < tol1 and worst < tol and (worst > 0 or 'bf16' not in name)   # bf16 that changes nothing did not engage
        if 'cuda_graph' in name: ok = ok and graph is not None and graph.captured  # eager against eager proves nothing
        out[name] = {'steps': steps, 'first_step_max_diff': first, 'max_diff': worst, 'tolerances': [tol1, tol], 'ok': ok,
                     'per_step': [{k: float(f'{v:.3g}') for k, v in x.items()} for x in d]}
        if graph is not None: out[name]['cuda_graph'] = 'captured' if graph.captured else f'not captured ({graph.failed})'
        print(f"check {name:28s} max |diff| first step {first:.2e}, all {steps} steps {worst:.2e} (tolerances {tol1:g}, {tol:g}): "
              f"{'ok' if ok else 'FAILED'}" + (f"  [{out[name]['cuda_graph']}]" if 'cuda_graph' in out[name] else ''), flush=True)
        del tb; free(dev)
    return out


def check_resume(dev):
    "That a run resumes from its checkpoints on the training device (loaded there, so RNG states arrive as device tensors)."
    import tempfile
    from lgan.train.alternate import fit
    with tempfile.TemporaryDirectory() as d:
        cfg = make_config('tiny', [f'device={dev}', f'data.synthetic_root={d}/syn', 'alt.rounds=1'])
        fit(cfg, f'{d}/run', progress=False)                   # GAN + segmenter phases, checkpoints written
        try:
            fit(cfg, f'{d}/run', progress=False)               # the same run again: both phases load their checkpoints onto `dev`
            rounds = [json.loads(l)['round'] for l in Path(f'{d}/run/rounds.jsonl').read_text().splitlines()]
            ok, msg = rounds == [1], f'rounds {rounds}'
        except Exception as e: ok, msg = False, f'{type(e).__name__}: {e}'
    print(f"check {'resume on ' + str(dev):28s} {msg}: {'ok' if ok else 'FAILED'}", flush=True)
    return {'ok': ok, 'detail': msg}


def line(what, res, batch, plain, fast, flops, peak, extra=''):
    ratio = fast['img_per_s'] / plain['img_per_s']
    achieved = fast['img_per_s'] * flops
    frac = achieved / peak if peak else None
    if frac is not None and frac > 1:      # a peak is an upper bound (lgan.train.fast.device_peak): above it, the FLOP count or the peak is wrong
        raise SystemExit(f"{what} at {res} px: {100 * frac:.1f}% of the device's peak, which cannot be; check count_flops and device_peak")
    print(f"{what:9s} {res:4d} px  batch {batch:3d}  plain {plain['img_per_s']:9.1f} img/s  lgan {fast['img_per_s']:9.1f} img/s  "
          f"x{ratio:5.2f}  {flops / 1e9:7.3f} GFLOP/img  {achieved / 1e12:7.2f} TFLOP/s"
          + (f"  {100 * frac:5.1f}% of peak" if frac is not None else '')
          + (f"  (lgan {fast['min']}-{fast['max']}, plain {plain['min']}-{plain['max']} over {len(fast['runs'])} timings)" if len(fast.get('runs', ())) > 1 else '')
          + extra, flush=True)
    return {'what': what, 'res': res, 'batch': batch, 'plain': plain, 'lgan': fast, 'ratio': round(ratio, 3),
            'gflop_per_img': round(flops / 1e9, 4), 'lgan_tflops': round(achieved / 1e12, 3),
            'frac_of_peak': None if frac is None else round(frac, 4)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--device', default=None, help='cpu, cuda, cuda:N (default: CUDA if available)')
    ap.add_argument('--preset', default=None, help='time exactly this preset (its resolution, batch, networks, augmentation); e.g. photos32, demo')
    ap.add_argument('--repeats', type=int, default=None, help='timings of each step, in turns, for the median and spread (default 5 with --preset, else 1)')
    ap.add_argument('--res', default=None, help='resolutions, comma-separated (default 64,128 on GPU, 16,32 on CPU)')
    ap.add_argument('--batch', type=int, default=None, help='GAN batch (default 64 on GPU, 16 on CPU)')
    ap.add_argument('--width', type=float, default=None, help='model.width (default 1 = the paper on GPU, 1/16 on CPU)')
    ap.add_argument('--seg-batch', type=int, default=None, help='segmenter batch (default 32 on GPU, 8 on CPU)')
    ap.add_argument('--infer-batch', type=int, default=None, help='inference batch (default 256 on GPU, 16 on CPU)')
    ap.add_argument('--steps', type=int, default=None, help='timed steps (default 30 on GPU, 4 on CPU)')
    ap.add_argument('--warmup', type=int, default=None, help='untimed steps first (default 10 on GPU, 2 on CPU)')
    ap.add_argument('--compile', default='', help="also time lgan with gan.compile=MODE (e.g. default, max-autotune-no-cudagraphs)")
    ap.add_argument('--variants', choices=['none', 'all'], default=None, help='time each fast switch on its own too (default: all on GPU)')
    ap.add_argument('--check', action='store_true', help='first check that the fast path computes what the plain path does')
    ap.add_argument('--skip', default='', help='parts to skip, comma-separated: gan,seg_train,seg_infer')
    ap.add_argument('--out', default=None, help='JSON file for the figures (default results/throughput_<device>.json)')
    ap.add_argument('overrides', nargs='*', help='config overrides for every case, key=value (e.g. model.unet_width=16)')
    a = ap.parse_args(argv)
    dev = get_device(a.device)
    gpu = dev.type == 'cuda'
    d = lambda v, g, c: v if v is not None else (g if gpu else c)
    if a.preset:
        pc = make_config(a.preset)
        a.res, a.batch, a.seg_batch, a.width = [pc.data.res], pc.gan.batch, pc.seg.batch, pc.model.width
        a.steps, a.warmup = d(a.steps, 30, 20), d(a.warmup, 10, 5)
    a.repeats = a.repeats or (5 if a.preset else 1)
    a.res = a.res if isinstance(a.res, list) else [int(r) for r in d(a.res, '64,128', '16,32').split(',')]
    a.batch, a.width, a.seg_batch = d(a.batch, 64, 16), d(a.width, 1.0, 1 / 16), d(a.seg_batch, 32, 8)
    a.infer_batch, a.steps, a.warmup, a.variants = d(a.infer_batch, 256, 16), d(a.steps, 30, 4), d(a.warmup, 10, 2), d(a.variants, 'all', 'none')
    skip = set(s for s in a.skip.split(',') if s)
    if gpu: torch.backends.cudnn.benchmark = True
    alloc = tune_allocator() if dev.type == 'cpu' else False   # process-wide, as a CPU trainer does it (gan.cpu_fast): the plain path shares it
    name = device_name(dev)
    peak = device_peak(dev, torch.bfloat16 if gpu else torch.float32)
    info = {'device': name, 'torch': torch.__version__, 'python': platform.python_version(), 'threads': torch.get_num_threads(),
            'peak_tflops': None if peak['flops'] is None else round(peak['flops'] / 1e12, 3), 'peak_source': peak['source'],
            'width': a.width, 'steps': a.steps, 'warmup': a.warmup, 'repeats': a.repeats, 'preset': a.preset,
            'cpu_bf16': cpu_bf16() if dev.type == 'cpu' else None, 'allocator_tuned': alloc, 'argv': sys.argv[1:] if argv is None else list(argv)}
    print(json.dumps(info), flush=True)
    res = {'info': info, 'gan': [], 'seg_train': [], 'seg_infer': []}
    if a.check: res['check'] = check(dev) | {'resume': check_resume(dev)}
    for r in a.res:
        plain_cfg, fast_cfg = config(a, r, PLAIN + [f'device={dev}']), config(a, r, [f'device={dev}'])
        if 'gan' not in skip:
            data = real_data(r, max(256, 4 * a.batch))
            flops = gan_flops(plain_cfg, dev)
            (fp, tp), (ff, tf) = gan_step(plain_cfg, data, dev), gan_step(fast_cfg, data, dev)
            t = repeated({'plain': fp, 'lgan': ff}, {'plain': plain_cfg.gan.batch, 'lgan': fast_cfg.gan.batch}, dev, a.steps, a.warmup, a.repeats)
            plain, fast = t['plain'], t['lgan']
            if getattr(tf, 'graph', None) is not None: fast['cuda_graph'] = 'captured' if tf.graph.captured else f'not captured ({tf.graph.failed})'
            del fp, tp, ff, tf; free(dev)
            row = line('gan', r, a.batch, plain, fast, flops, peak['flops'], f"  1M images: {1e6 / fast['img_per_s'] / 60:6.1f} min")
            row['minutes_per_1M'] = round(1e6 / fast['img_per_s'] / 60, 2)
            if a.compile:
                try: row['lgan_compile'] = time_gan(config(a, r, [f'device={dev}', f'gan.compile={a.compile}']), data, dev, a.steps, a.warmup)
                except Exception as e: row['lgan_compile'] = {'error': f'{type(e).__name__}: {str(e)[:300]}'}
                print(f"          lgan + compile={a.compile}: {row['lgan_compile']}", flush=True)
            if a.variants == 'all':
                row['variants'], ov = {}, list(PLAIN)
                for label, more in STAGES:
                    ov = ov + more
                    try: row['variants'][label] = time_gan(config(a, r, ov + [f'device={dev}']), data, dev, a.steps, a.warmup)
                    except Exception as e: row['variants'][label] = {'error': f'{type(e).__name__}: {str(e)[:300]}'}
                    print(f"          {label:16s} {row['variants'][label]}", flush=True)
            res['gan'].append(row)
            del data
        if 'seg_train' not in skip:
            flops = seg_flops(plain_cfg, dev)
            res['seg_train'].append(line('seg_train', r, a.seg_batch, *seg_pair(plain_cfg, fast_cfg, dev, a.steps, a.warmup, a.repeats), flops, peak['flops']))
        if 'seg_infer' not in skip:
            plain, flops = time_infer(plain_cfg, dev, a.infer_batch, a.steps, a.warmup, fast=False)
            fast, _ = time_infer(fast_cfg, dev, a.infer_batch, a.steps, a.warmup, fast=True)
            res['seg_infer'].append(line('seg_infer', r, a.infer_batch, plain, fast, flops, peak['flops']))
    slug = re.sub('[^a-z0-9]+', '_', name.split(' CPU')[0].split(',')[0].lower()).strip('_')
    out = Path(a.out or (f"results/throughput/{a.preset}-{slug}.json" if a.preset else f"results/throughput_{slug if gpu else 'cpu'}.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=1) + '\n')
    print(f"written {out}")
    if a.check and not all(c['ok'] for c in res['check'].values()): sys.exit('the fast path does not compute what the plain path does: see "check" above')
    return res


if __name__ == '__main__':
    main()
