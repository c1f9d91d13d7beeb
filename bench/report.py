#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py OUT - turn bench/run.sh's raw results into OUT/report.md,
OUT/*.png (gnuplot) and OUT/fio/*.json (the raw fio output).

Boots 1 to 4 ran on a guest clock that counts instructions (1 ns of guest
time per guest instruction): their times are CPU costs, the same whatever
the host's load.  Every ratio compares figures from the same VM boot."""
import glob
import json
import os
import subprocess
import sys

out = sys.argv[1]
raw = os.path.join(out, "raw")
top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
history = os.path.join(os.environ.get("IOPMEM_CACHE", os.path.join(top, ".cache")),
                       "bench-history")
JOBS = ["randread-4k-qd1", "randwrite-4k-qd1", "randread-4k-qd32",
        "randwrite-4k-qd32", "read-1m-qd1", "write-1m-qd1"]
BLOCK = ["iopmem-raw", "iopmem-fsdax-blk", "pmem-blk", "brd"]
FILES = ["iopmem-dax-file", "pmem-dax-file"]
SPREAD_MAX = 0.03       # repeatability: ratios agree within 3%


def results(path):
    with open(path) as f:
        for line in f:
            if line.startswith("# result "):
                yield line.split(" ", 4)[2:]


def fio_costs(path, keep=None):
    """{(target, job): guest ns per I/O} from one run's fio results."""
    costs = {}
    for target, job, text in results(path):
        doc = json.loads(text)
        if keep is not None:
            keep[(target, job)] = doc
        j = doc["jobs"][0]
        side = j["read"] if job.startswith(("read", "randread")) else j["write"]
        if side["total_ios"]:
            costs[(target, job)] = side["runtime"] * 1e6 / side["total_ios"]
    return costs


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(v, digits=0):
    return "-" if v is None else f"{v:,.{digits}f}"


lines = ["# iopmem benchmark report", "",
         "Measured by `make bench` in QEMU (TCG, no KVM). Boots 1 to 4 run "
         "on a guest clock that counts instructions (QEMU `-icount "
         "shift=0,sleep=off`: 1 ns of guest time per guest instruction, and "
         "when the guest is idle the clock jumps to its next timer; one vCPU) "
         "and do a fixed amount of work, so a guest time is the same "
         "whatever the host's load: **instruction counts, not hardware "
         "speed**. Under TCG a copy costs what its instructions count; on "
         "hardware a BAR's bandwidth and latency decide, which no emulator "
         "shows. The ratios, side by side in one boot, are the point.", ""]
targets_met = []

# --- fio, deterministic ----------------------------------------------------
docs = {}
fio = fio_costs(os.path.join(raw, "fio.txt"), docs)
os.makedirs(os.path.join(out, "fio"), exist_ok=True)
for (target, job), doc in docs.items():
    with open(os.path.join(out, "fio", f"{target}-{job}.json"), "w") as f:
        json.dump(doc, f, indent=1)


def cost(target, job):
    return fio.get((target, job))


lines += ["## Block I/O: guest instructions per I/O (fio, libaio, O_DIRECT, 192 MiB span)", "",
          "32768 I/Os per 4k job and 512 per 1M job, at the same offsets each run "
          "(`randrepeat`). Each cell is guest time per I/O in ns, which on this "
          "clock is the guest instructions per I/O (fio's own, the kernel's and the "
          "driver's), plus the time the guest sat idle, which this clock skips to "
          "the guest's next timer (the idle loop's share is in the profile below). "
          "Lower is better; a ratio under 1 means iopmem costs less.", "",
          "| job | iopmem raw | iopmem fsdax | pmem | brd | raw/pmem | fsdax/pmem | raw/brd | "
          "iopmem dax file | pmem dax file | file ratio |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
over_pmem, over_brd = [], []
for job in JOBS:
    v = {t: cost(t, job) for t in BLOCK + FILES}
    r1, r2 = ratio(v["iopmem-raw"], v["pmem-blk"]), ratio(v["iopmem-fsdax-blk"], v["pmem-blk"])
    rb = ratio(v["iopmem-raw"], v["brd"])
    r3 = ratio(v["iopmem-dax-file"], v["pmem-dax-file"])
    for r, name, bucket in ((r1, "raw", over_pmem), (r2, "fsdax", over_pmem),
                            (rb, "raw", over_brd),
                            (ratio(v["iopmem-fsdax-blk"], v["brd"]), "fsdax", over_brd)):
        if r is not None and r > 1.0:
            bucket.append(f"{name} {job} {r:.2f}")
    lines.append(f"| {job} | {fmt(v['iopmem-raw'])} | {fmt(v['iopmem-fsdax-blk'])} | "
                 f"{fmt(v['pmem-blk'])} | {fmt(v['brd'])} | {fmt(r1, 3)} | {fmt(r2, 3)} | "
                 f"{fmt(rb, 3)} | {fmt(v['iopmem-dax-file'])} | {fmt(v['pmem-dax-file'])} | "
                 f"{fmt(r3, 3)} |")
targets_met.append(("per-I/O cost of iopmem raw and fsdax <= pmem's on each fio job",
                    not over_pmem, "; ".join(over_pmem) or "every job"))
targets_met.append(("per-I/O cost of iopmem raw and fsdax <= brd's on each fio job",
                    not over_brd, "; ".join(over_brd) or "every job"))

# Where the cost goes: a fixed part per I/O and a part per byte, from the
# qd1 4k and 1M jobs (the same code path, sizes 256 times apart).
lines += ["", "Where the instructions go: a fixed part per I/O and a part per KiB "
          "copied, solved from the qd1 4k and 1M jobs of each direction "
          "(cost = fixed + per-KiB x KiB):", "",
          "| target | read: fixed | read: per KiB | write: fixed | write: per KiB |",
          "|---|---:|---:|---:|---:|"]
for t in BLOCK + FILES:
    row = [t]
    for small, big in (("randread-4k-qd1", "read-1m-qd1"), ("randwrite-4k-qd1", "write-1m-qd1")):
        c4, c1 = cost(t, small), cost(t, big)
        if c4 is None or c1 is None:
            row += ["-", "-"]
            continue
        per_kib = (c1 - c4) / (1024 - 4)
        row += [fmt(c4 - 4 * per_kib), fmt(per_kib)]
    lines.append("| " + " | ".join(row) + " |")

# A profile of the 1M jobs (bench-profile: perf's cpu-clock samples, one
# per 20000 ns, which on this clock is one per 20000 instructions), where
# perf was in the guest.  256 I/Os of 1 MiB per job.
PERIOD, PROF_IOS = 20000, 256
prof = {}
with open(os.path.join(raw, "fio.txt")) as f:
    for line in f:
        w = line.rstrip("\n").split(" ", 6)
        if w[1] == "profile":
            prof.setdefault((w[2], w[3]), []).append((w[4], int(w[5]), w[6]))
if prof:
    lines += ["", "Where the 1M jobs' instructions go, by function: `perf record -e "
              "cpu-clock -c 20000 -a` in the guest (on this clock, a sample per "
              "20000 instructions), 256 I/Os of 1 MiB each, the busiest functions "
              "of the whole system with their thousands of instructions per I/O "
              "(`native_safe_halt` is the idle loop, `__vdso_clock_gettime` fio's "
              "clock):", ""]
    for job in ("read-1m-qd1", "write-1m-qd1"):
        cols = [t for t in ("brd", "pmem", "iopmem-raw") if (t, job) in prof]
        lines += [f"| {job}: " + " | ".join(cols) + " |", "|---" * len(cols) + "|"]
        for i in range(max(len(prof[(t, job)]) for t in cols)):
            cells = []
            for t in cols:
                rows = prof[(t, job)]
                if i < len(rows):
                    pct, n, sym = rows[i]
                    cells.append(f"`{sym}` {n * PERIOD / PROF_IOS / 1000:,.0f}k ({pct})")
                else:
                    cells.append("")
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")

with open(os.path.join(out, "fio.dat"), "w") as f:
    f.write("job " + " ".join(BLOCK + FILES) + "\n")
    for job in JOBS:
        pm = cost("pmem-blk", job) or 1
        f.write(job + " " + " ".join(fmt(ratio(cost(t, job), pm), 3).replace(",", "").replace("-", "0")
                                     for t in BLOCK + FILES) + "\n")

# --- repeatability -----------------------------------------------------------
runs = sorted(glob.glob(os.path.join(history, "fio-*.txt")))[-3:]
if len(runs) >= 2:
    hist = [fio_costs(r) for r in runs]
    names = [os.path.basename(r)[4:-4] for r in runs]
    lines += ["", f"## Repeatability: the last {len(runs)} `make bench` runs", "",
              "The ratios above from each run (" + ", ".join(names) + "), and their "
              "spread (largest / smallest - 1). raw/fsdax compares two modes "
              "that run the same block I/O code.", "",
              "| job | " + " | ".join(f"raw/pmem {i + 1}" for i in range(len(runs))) +
              " | spread | " + " | ".join(f"fsdax/pmem {i + 1}" for i in range(len(runs))) +
              " | spread | raw/fsdax (worst) |",
              "|---|" + "---:|" * (2 * len(runs) + 3)]
    worst_spread, worst_same = 0.0, 0.0
    for job in JOBS:
        cells = []
        same = 0.0
        for t in ("iopmem-raw", "iopmem-fsdax-blk"):
            rs = [ratio(h.get((t, job)), h.get(("pmem-blk", job))) for h in hist]
            rs = [r for r in rs if r]
            spread = max(rs) / min(rs) - 1 if rs else None
            if spread is not None:
                worst_spread = max(worst_spread, spread)
            cells += [fmt(r, 3) for r in rs] + [f"{spread * 100:.1f}%" if spread is not None else "-"]
        for h in hist:
            a, b = h.get(("iopmem-raw", job)), h.get(("iopmem-fsdax-blk", job))
            if a and b:
                same = max(same, abs(a / b - 1))
        worst_same = max(worst_same, same)
        lines.append(f"| {job} | " + " | ".join(cells) + f" | {same * 100:.1f}% |")
    targets_met.append((f"each iopmem/pmem ratio agrees within 3% across {len(runs)} runs",
                        len(runs) >= 3 and worst_spread <= SPREAD_MAX,
                        f"worst spread {worst_spread * 100:.1f}% ({len(runs)} runs)"))
    targets_met.append(("raw and fsdax (the same code) within 3% of each other",
                        worst_same <= SPREAD_MAX, f"worst {worst_same * 100:.1f}%"))

# --- NVMe over TCP ----------------------------------------------------------
nvmf = {}
if os.path.exists(os.path.join(raw, "nvmf.txt")):
    for target, job, text in results(os.path.join(raw, "nvmf.txt")):
        j = json.loads(text)["jobs"][0]
        side = j["read"] if job.startswith(("read", "randread")) else j["write"]
        nvmf[(target, job)] = side["bw_bytes"] / 2**20 if "1m" in job else side["iops"]
lines += ["", "## Served over NVMe/TCP (nvmet-tcp, fio in a second guest; wall clock)", "",
          "The fio jobs from a host guest over nvme-tcp, on the target guest's "
          "iopmem namespace and its brd namespace of the same size, one after "
          "the other in one pair of boots, over QEMU's UDP socket link between "
          "the two guests. Two guests and a network cannot share an instruction "
          "clock, so these run on wall-clock time, 5 s per job: 4k jobs in IOPS, "
          "1M jobs in MiB/s, higher is better, and the host's load enters.", "",
          "| job | iopmem | brd | iopmem/brd |", "|---|---:|---:|---:|"]
for job in JOBS:
    a, b = nvmf.get(("nvmf-iopmem", job)), nvmf.get(("nvmf-brd", job))
    lines.append(f"| {job} | {fmt(a)} | {fmt(b)} | {fmt(ratio(a, b), 2)} |")


# --- P2P against bounce ----------------------------------------------------
def dma_runs(name):
    """{run name: (iopmem-bench JSON, (commands, bar, ram, other bytes))}"""
    marks, res, dma = {}, {}, {}
    path = os.path.join(raw, f"{name}.txt")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        for line in f:
            w = line.split(" ", 4)
            if w[1] == "mark":
                marks[int(w[2])] = w[3].strip()
            elif w[1] == "result":
                res[w[3]] = json.loads(w[4])
    if os.path.exists(os.path.join(raw, f"{name}-dma.txt")):
        with open(os.path.join(raw, f"{name}-dma.txt")) as f:
            for line in f:
                n, cmds, bar, ram, other = map(int, line.split())
                dma[n] = (cmds, bar, ram, other)
    return {run: (res.get(run), dma.get(n)) for n, run in sorted(marks.items())}


def p2p_table(runs, rows, title):
    """A table of the runs named in rows, (label, run name) pairs."""
    global lines
    lines += ["", title, "",
              "| buffer | payload MiB | NVMe commands | MiB DMAed via iopmem's BAR | "
              "MiB DMAed via system RAM | MiB via other device memory | process CPU s per GiB |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for label, name in rows:
        res, dma = runs.get(name, (None, None))
        if not res:
            continue
        gib = res["bytes"] / 2**30
        cmds, bar, ram, other = dma or (None, None, None, None)
        mib = (lambda v: fmt(v / 2**20) if v is not None else "-")
        lines.append(f"| {label} | {res['bytes'] / 2**20:.0f} | {fmt(cmds)} | {mib(bar)} | "
                     f"{mib(ram)} | {mib(other)} | {fmt(res['cpu_seconds'] / gib, 3)} |")


p2p = dma_runs("p2p")
p2p_table(p2p, [("one NVMe drive, P2P (the BAR)", "p2p-t4"),
                ("one NVMe drive, bounce (RAM)", "bounce-t4"),
                ("md RAID0 of two, P2P (the BAR)", "p2p-raid0-t4"),
                ("md RAID0 of two, bounce (RAM)", "bounce-raid0-t4")],
          "## Peer to peer against bounce (iopmem-bench, NVMe -> buffer -> NVMe, "
          "256 x 1 MiB chunks, 4 in flight, once)")
lines += ["", "What an emulator can show: where the NVMe drives' data DMA went "
          "(QEMU's trace of every command's data addresses, counted per run "
          "between marker reads), how many commands moved it, and the copying "
          "process's guest CPU (instructions) per GiB. Each byte of a copy is "
          "DMAed twice (into the buffer, out of it). What it cannot show, and "
          "this report no longer claims: P2P's throughput and its saving in "
          "memory bandwidth, which are the hardware's (QEMU's NVMe model moves "
          "the data on the host in either case, so the guest's clock stands "
          "still while it does)."]
pr, br = p2p.get("p2p-t4", (None, None)), p2p.get("bounce-t4", (None, None))
if pr[1] and br[1]:
    targets_met.append(("P2P: no payload byte DMAed through system RAM (QEMU's trace)",
                        pr[1][2] == 0 and pr[1][1] > 0,
                        f"P2P {pr[1][2] >> 20} MiB via RAM, {pr[1][1] >> 20} MiB via the BAR; "
                        f"bounce {br[1][2] >> 20} MiB via RAM"))

paths = dma_runs("paths")
if paths:
    p2p_table(paths, [("the NVMe's own CMB (kernel P2PDMA, nvme driver)", "nvme-cmb"),
                      ("iopmem p2pdma (kernel P2PDMA over the BAR)", "iopmem-p2pdma"),
                      ("iopmem devdax (the BAR's pages, any kernel)", "iopmem-devdax"),
                      ("RAM (bounce)", "bounce")],
              "## The P2P paths of a 7.2 kernel (sid, CONFIG_PCI_P2PDMA; iopmem-bench, "
              "NVMe -> buffer -> NVMe, 64 x 1 MiB chunks, 4 in flight, once each, one boot)")

# --- scaling ---------------------------------------------------------------
scale = []
with open(os.path.join(raw, "scale.txt")) as f:
    for line in f:
        w = line.split()
        if w[1] != "scale":
            continue
        size, align, bind, pages, unpages, nbytes, taken = w[2:9]
        scale.append((int(size), int(align), float(bind), float(pages), float(unpages),
                      int(nbytes), int(taken)))
ALIGN_NAME = {4096: "4K", 2 << 20: "2M", 1 << 30: "1G"}
lines += ["", "## Struct pages per devdax align, and scaling with the BAR's size", "",
          "Per BAR and align: the time to bind (raw), to create the struct pages "
          "(raw -> devdax) and to remove them, in guest ms (instructions); "
          "`struct_page_bytes`; and the free RAM the change to devdax took "
          "(free lists plus per-CPU lists, before and after: it includes the "
          "page tables that map the struct pages). The ratios compare with "
          "align 4K, today's cost before compound pages: 64 bytes per 4 KiB.", "",
          "| BAR | align | bind ms | create pages ms | remove ms | struct_page_bytes | "
          "free RAM taken | per GiB | bytes / align-4K bytes | RAM taken / align-4K RAM |",
          "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
base = {s: (nb, tk) for s, al, _, _, _, nb, tk in scale if al == 4096}
worst = {2 << 20: 0.0, 1 << 30: 0.0}
worst_ram = {2 << 20: 0.0, 1 << 30: 0.0}
with open(os.path.join(out, "scale.dat"), "w") as f:
    for size, al, bind, pages, unpages, nb, tk in scale:
        b_nb, b_tk = base.get(size, (None, None))
        r_nb, r_tk = ratio(nb, b_nb), ratio(tk, b_tk)
        if al in worst and r_nb is not None:
            worst[al] = max(worst[al], r_nb)
            worst_ram[al] = max(worst_ram[al], r_tk or 0)
        per_gib = tk / (size / 2**30)
        lines.append(f"| {size >> 20} MiB | {ALIGN_NAME.get(al, al)} | {bind:.1f} | {pages:.1f} | "
                     f"{unpages:.1f} | {nb >> 10} KiB | {tk} KiB | {per_gib:,.0f} KiB | "
                     f"{fmt(r_nb, 4)} | {fmt(r_tk, 4)} |")
        f.write(f"{size >> 20} {al} {bind} {pages} {unpages} {nb >> 10} {tk}\n")
if base:
    targets_met.append(("align 2M: struct page RAM per GiB <= 1/4 of align 4K's (struct_page_bytes)",
                        worst[2 << 20] <= 0.25, f"worst {worst[2 << 20]:.4f}"))
    targets_met.append(("align 2M: free RAM taken <= 1/4 of align 4K's (with page tables)",
                        worst_ram[2 << 20] <= 0.25, f"worst {worst_ram[2 << 20]:.4f}"))
    targets_met.append(("align 1G: struct page RAM <= 1/100 of align 4K's (struct_page_bytes, free RAM)",
                        worst[1 << 30] <= 0.01 and worst_ram[1 << 30] <= 0.01,
                        f"worst {worst[1 << 30]:.5f} and {worst_ram[1 << 30]:.4f}"))


def linear(points):
    """R² of a straight line through (size, ms) and its slope per GiB."""
    xs = [s / 2**30 for s, _ in points]
    ys = [p for _, p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    syy = sum((y - my) ** 2 for y in ys) or 1e-9
    return (sxy * sxy / (sxx * syy) if sxx else 0), (sxy / sxx if sxx else 0)


fits = []
for al in (4096, 2 << 20):
    pts = [(s, p) for s, a, _, p, _, _, _ in scale if a == al]
    if len(pts) >= 3:
        r2, slope = linear(pts)
        fits.append(f"align {ALIGN_NAME[al]}: R² = {r2:.3f}, {slope:.0f} ms per GiB")
        targets_met.append((f"time to create struct pages linear in BAR size (align {ALIGN_NAME[al]})",
                            r2 >= 0.95 and slope > 0, f"linear fit R² = {r2:.3f}"))
if fits:
    lines += ["", "Creating the pages against the BAR's size, a straight line "
              "(fixed + per-GiB cost) fitted to the four sizes: " + "; ".join(fits) + "."]

# --- targets and charts ----------------------------------------------------
lines += ["", "## Targets", "", "| target | met | measured |", "|---|---|---|"]
for name, met, what in targets_met:
    lines.append(f"| {name} | {'yes' if met else '**no**'} | {what} |")
notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.md")
if os.path.exists(notes):
    lines += ["", open(notes).read().rstrip()]
lines += ["", "## Charts", "", "![fio, cost relative to pmem](fio.png)", "",
          "![struct pages vs BAR size](scale.png)", "",
          "Raw data: `fio/*.json` (fio's own JSON), `raw/*.txt`, `raw/*.tap`."]
with open(os.path.join(out, "report.md"), "w") as f:
    f.write("\n".join(lines) + "\n")

gp = f"""
set terminal pngcairo size 900,420 font ',10' noenhanced
set output '{out}/fio.png'
set title 'guest instructions per I/O relative to pmem (block device), same VM boot; lower is better'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right
set yrange [0:*]
set ylabel 'cost / pmem cost'
set xtics rotate by 20 right
plot for [i=2:7] '{out}/fio.dat' using i:xtic(1) title columnheader(i)

set output '{out}/scale.png'
set title 'free RAM the struct pages take, per devdax align'
set xlabel 'BAR size (MiB)'
set ylabel 'KiB'
set logscale xy 2
set xtics norotate
set key left top
plot '{out}/scale.dat' using ($2 == 4096 ? $1 : 1/0):7 with linespoints title 'align 4K', \\
     '' using ($2 == 2097152 ? $1 : 1/0):7 with linespoints title 'align 2M', \\
     '' using ($2 == 1073741824 ? $1 : 1/0):7 with linespoints title 'align 1G'
"""
subprocess.run(["gnuplot"], input=gp.encode(), check=True)

# The tracked copy (Documentation/bench/) and the README's summary.
doc = os.path.join(top, "Documentation", "bench")
os.makedirs(doc, exist_ok=True)
for name in ("report.md", "fio.png", "scale.png"):
    with open(os.path.join(out, name), "rb") as src, open(os.path.join(doc, name), "wb") as dst:
        dst.write(src.read())
stale = os.path.join(doc, "inflight.png")
if os.path.exists(stale):
    os.remove(stale)
summary = ["<!-- bench:begin (written by make bench) -->",
           "Latest `make bench` figures: guest instructions per I/O under QEMU "
           "TCG with an instruction-counting clock (not hardware speed; lower is "
           "better). The full report, with the repeatability of three runs, the "
           "P2P DMA accounting, the struct page table per align and what "
           "remains above the anchors and why, is "
           "[Documentation/bench/report.md](Documentation/bench/report.md).", ""]
take = False
for line in lines:
    if line.startswith("| job | iopmem raw"):
        take = True
    if take and not line.startswith("|"):
        break
    if take:
        summary.append(line)
if over_brd:
    summary += ["", "Above brd's cost, by the copy: iopmem moves the BAR's bytes with "
                "exactly `access_width` bytes per load or store, brd copies RAM with "
                "`memcpy()` (the report's profile; on hardware the BAR's bandwidth "
                "bounds a copy, not these instructions)."]
summary += ["", "| target | met | measured |", "|---|---|---|"]
summary += [f"| {n} | {'yes' if m else '**no**'} | {w} |" for n, m, w in targets_met]
summary += ["", "![fio, cost relative to pmem](Documentation/bench/fio.png)",
            "![struct pages vs BAR size](Documentation/bench/scale.png)",
            "<!-- bench:end -->"]
readme = os.path.join(top, "README.md")
text = open(readme).read()
a, b = text.find("<!-- bench:begin"), text.find("<!-- bench:end -->")
if a >= 0 and b > a:
    text = text[:a] + "\n".join(summary) + text[b + len("<!-- bench:end -->"):]
    with open(readme, "w") as f:
        f.write(text)
print(open(os.path.join(out, "report.md")).read())
