#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py OUT - turn bench/run.sh's raw results into OUT/report.md,
OUT/*.png (gnuplot) and OUT/fio/*.json (the raw fio output).

Every ratio compares figures from the same VM boot, side by side."""
import json
import os
import subprocess
import sys

out = sys.argv[1]
raw = os.path.join(out, "raw")
JOBS = ["randread-4k-qd1", "randwrite-4k-qd1", "randread-4k-qd32",
        "randwrite-4k-qd32", "read-1m-qd1", "write-1m-qd1"]
BLOCK = ["iopmem-raw", "iopmem-fsdax-blk", "pmem-blk", "brd"]
FILES = ["iopmem-dax-file", "pmem-dax-file"]


def results(name):
    with open(os.path.join(raw, name + ".txt")) as f:
        for line in f:
            yield line.split(" ", 4)[1:]


# --- fio -------------------------------------------------------------------
fio = {}
os.makedirs(os.path.join(out, "fio"), exist_ok=True)
NVMF = ["nvmf-iopmem", "nvmf-brd"]
for kind, target, job, text in list(results("fio")) + list(results("nvmf")):
    doc = json.loads(text)
    with open(os.path.join(out, "fio", f"{target}-{job}.json"), "w") as f:
        json.dump(doc, f, indent=1)
    j = doc["jobs"][0]
    side = j["read"] if job.startswith(("read", "randread")) else j["write"]
    secs = side["runtime"] / 1000.0 or 1e-9
    ios = side["total_ios"] or 1
    fio[(target, job)] = {
        "iops": side["iops"],
        "mibs": side["bw_bytes"] / 2**20,
        "cpu_us_per_op": (j["usr_cpu"] + j["sys_cpu"]) / 100.0 * secs / ios * 1e6,
    }


def fig(target, job):
    r = fio.get((target, job))
    if not r:
        return None
    return r["mibs"] if "1m" in job else r["iops"]


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(v, digits=0):
    return "-" if v is None else f"{v:,.{digits}f}"


lines = ["# iopmem benchmark report", "",
         "Measured by `make bench` in QEMU (TCG, no KVM) on a 2-core machine: "
         "**absolute numbers under emulation are not hardware numbers**; every "
         "device here is emulated memory, and the CPU is emulated too. The "
         "ratios, measured side by side in one VM boot, are the point.", ""]

targets_met = []
lines += ["## Block I/O (fio, 192 MiB, libaio, O_DIRECT)", "",
          "4k jobs in IOPS, 1M jobs in MiB/s; ratios are iopmem / pmem.", "",
          "| job | iopmem raw | iopmem fsdax | pmem | brd | raw/pmem | fsdax/pmem | "
          "iopmem dax file | pmem dax file | file ratio |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
worst = 10.0
for job in JOBS:
    v = {t: fig(t, job) for t in BLOCK + FILES}
    r1, r2 = ratio(v["iopmem-raw"], v["pmem-blk"]), ratio(v["iopmem-fsdax-blk"], v["pmem-blk"])
    r3 = ratio(v["iopmem-dax-file"], v["pmem-dax-file"])
    worst = min([worst] + [r for r in (r1, r2, r3) if r is not None])
    lines.append(f"| {job} | {fmt(v['iopmem-raw'])} | {fmt(v['iopmem-fsdax-blk'])} | "
                 f"{fmt(v['pmem-blk'])} | {fmt(v['brd'])} | {fmt(r1, 2)} | {fmt(r2, 2)} | "
                 f"{fmt(v['iopmem-dax-file'])} | {fmt(v['pmem-dax-file'])} | {fmt(r3, 2)} |")
lines += ["", "CPU per operation (µs of fio's user+system time per I/O):", "",
          "| job | " + " | ".join(BLOCK + FILES) + " |",
          "|---|" + "---:|" * len(BLOCK + FILES)]
for job in JOBS:
    lines.append(f"| {job} | " + " | ".join(
        fmt(fio.get((t, job), {}).get("cpu_us_per_op"), 1) for t in BLOCK + FILES) + " |")
targets_met.append(("iopmem raw and fsdax within 10% of pmem on each fio job",
                    worst >= 0.9, f"worst ratio {worst:.2f}"))

with open(os.path.join(out, "fio.dat"), "w") as f:
    f.write("job " + " ".join(BLOCK + FILES) + "\n")
    for job in JOBS:
        pm = fig("pmem-blk", job) or 1
        f.write(job + " " + " ".join(fmt(ratio(fig(t, job), pm), 3).replace(",", "").replace("-", "0")
                                     for t in BLOCK + FILES) + "\n")

# --- NVMe over TCP ----------------------------------------------------------
lines += ["", "## Served over NVMe/TCP (nvmet-tcp, fio in a second guest)", "",
          "The same fio jobs from a host guest over nvme-tcp, on the target "
          "guest's iopmem namespace and its brd namespace of the same size, one "
          "after the other in one pair of boots, over QEMU's UDP socket link "
          "between the two guests. 4k jobs in IOPS, 1M jobs in MiB/s.", "",
          "| job | iopmem | brd | iopmem/brd |", "|---|---:|---:|---:|"]
for job in JOBS:
    a, b = fig("nvmf-iopmem", job), fig("nvmf-brd", job)
    lines.append(f"| {job} | {fmt(a)} | {fmt(b)} | {fmt(ratio(a, b), 2)} |")

# --- P2P against bounce ----------------------------------------------------
p2p = {}
with open(os.path.join(raw, "p2p.txt")) as f:
    for line in f:
        _, _, _, name, text = line.split(" ", 4)
        p2p[name] = json.loads(text)


def per_gib(r):
    gib = r["bytes"] / 2**30
    return r["system_cpu_seconds"] / gib if gib else None


p, b = p2p.get("p2p-t4"), p2p.get("bounce-t4")
lines += ["", "## Peer to peer against bounce (iopmem-bench, NVMe -> buffer -> NVMe, "
          "64 x 1 MiB chunks, 4 in flight)", "",
          "| device | path | MiB/s | guest CPU s per GiB (whole system) | process CPU s |",
          "|---|---|---:|---:|---:|"]
for dev, name, r in (("one NVMe drive", "P2P (BAR)", p), ("one NVMe drive", "bounce (RAM)", b),
                     ("md RAID0 of two", "P2P (BAR)", p2p.get("p2p-raid0-t4")),
                     ("md RAID0 of two", "bounce (RAM)", p2p.get("bounce-raid0-t4"))):
    if r:
        lines.append(f"| {dev} | {name} | {r['mib_per_second']:.1f} | {fmt(per_gib(r), 3)} | "
                     f"{r['cpu_seconds']:.2f} |")
r0 = p2p.get("p2p-raid0-t4")
if r0 and r0.get("members"):
    lines += ["", "md RAID0, P2P: what each member did (iopmem-bench, from each drive's stat): " +
              "; ".join(f"{m['device']} ({m['pci']}) read {m['read_bytes'] / 2**20:.0f} MiB, "
                        f"wrote {m['written_bytes'] / 2**20:.0f} MiB" for m in r0["members"]) + "."]
if p and b:
    cpu_ratio = ratio(per_gib(b), per_gib(p))
    speed = p["mib_per_second"] / b["mib_per_second"]
    lines += ["", f"Ratios: bounce CPU / P2P CPU per GiB = **{fmt(cpu_ratio, 2)}**; "
              f"P2P / bounce throughput = **{speed:.2f}**."]
    targets_met.append(("P2P at least 4x less guest CPU per GiB than bounce",
                        cpu_ratio is not None and cpu_ratio >= 4, f"ratio {fmt(cpu_ratio, 2)}"))
    targets_met.append(("P2P no slower than bounce", speed >= 1.0, f"ratio {speed:.2f}"))

lines += ["", "Throughput as the chunks in flight grow:", "",
          "| in flight | P2P MiB/s | bounce MiB/s | P2P / bounce |", "|---:|---:|---:|---:|"]
with open(os.path.join(out, "inflight.dat"), "w") as f:
    for t in (1, 4, 16, 64):
        pr, br = p2p.get(f"p2p-inflight-{t}"), p2p.get(f"bounce-inflight-{t}")
        if pr and br:
            lines.append(f"| {t} | {pr['mib_per_second']:.1f} | {br['mib_per_second']:.1f} | "
                         f"{pr['mib_per_second'] / br['mib_per_second']:.2f} |")
            f.write(f"{t} {pr['mib_per_second']:.2f} {br['mib_per_second']:.2f}\n")

# --- the P2P paths of a 7.2 kernel ------------------------------------------
paths = {}
if os.path.exists(os.path.join(raw, "paths.txt")):
    with open(os.path.join(raw, "paths.txt")) as f:
        for line in f:
            _, _, _, name, text = line.split(" ", 4)
            paths[name] = json.loads(text)
if paths:
    lines += ["", "## The P2P paths of a 7.2 kernel (sid, CONFIG_PCI_P2PDMA; iopmem-bench, "
              "NVMe -> buffer -> NVMe, 32 x 1 MiB chunks, 4 in flight, one boot)", "",
              "| buffer | MiB/s | guest CPU s per GiB (whole system) | process CPU s |",
              "|---|---:|---:|---:|"]
    for name, label in (("nvme-cmb", "the NVMe's own CMB (kernel P2PDMA, nvme driver)"),
                        ("iopmem-p2pdma", "iopmem p2pdma (kernel P2PDMA over the BAR)"),
                        ("iopmem-devdax", "iopmem devdax (the BAR's pages, any kernel)"),
                        ("bounce", "RAM (bounce)")):
        r = paths.get(name)
        if r:
            lines.append(f"| {label} | {r['mib_per_second']:.1f} | {fmt(per_gib(r), 3)} | "
                         f"{r['cpu_seconds']:.2f} |")

# --- scaling ---------------------------------------------------------------
scale = []
with open(os.path.join(raw, "scale.txt")) as f:
    for line in f:
        _, _, size, bind, pages, unpages, bytes_ = line.split()
        scale.append((int(size), float(bind), float(pages), float(unpages), int(bytes_)))
lines += ["", "## Scaling with the BAR's size", "",
          "| BAR | bind (raw) ms | struct pages (raw -> devdax) ms | remove them ms | "
          "struct page memory | bytes per 4 KiB |", "|---:|---:|---:|---:|---:|---:|"]
with open(os.path.join(out, "scale.dat"), "w") as f:
    for size, bind, pages, unpages, nbytes in scale:
        lines.append(f"| {size >> 20} MiB | {bind:.1f} | {pages:.1f} | {unpages:.1f} | "
                     f"{nbytes >> 10} KiB | {nbytes / (size / 4096):.0f} |")
        f.write(f"{size >> 20} {bind} {pages} {unpages} {nbytes >> 10}\n")
linear_mem = all(nb == s // 4096 * 64 for s, _, _, _, nb in scale)
targets_met.append(("struct page memory linear in BAR size (64 bytes per 4 KiB page)",
                    linear_mem and len(scale) == 4, f"{len(scale)} sizes"))
if len(scale) >= 3:
    # How well a straight line (fixed cost + per-byte cost) fits the times.
    xs = [sz / 2**30 for sz, *_ in scale]
    ys = [p for _, _, p, _, _ in scale]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    syy = sum((y - my) ** 2 for y in ys) or 1e-9
    r2 = sxy * sxy / (sxx * syy) if sxx else 0
    targets_met.append(("time to create struct pages linear in BAR size (fixed + per-GiB cost)",
                        r2 >= 0.8 and sxy > 0, f"linear fit R² = {r2:.2f}"))
if len(scale) >= 2:
    (s0, _, p0, _, _), (s1, _, p1, _, _) = scale[0], scale[-1]
    slope = (p1 - p0) / ((s1 - s0) >> 30) if s1 > s0 else 0
    lines += ["", f"Creating pages costs about {slope:.0f} ms per extra GiB "
              f"({p0:.0f} ms at {s0 >> 20} MiB, {p1:.0f} ms at {s1 >> 20} MiB): a fixed "
              "cost (sysfs, hot-add bookkeeping) plus a part linear in the size "
              "(initialising one struct page per 4 KiB)."]

# --- targets and charts ----------------------------------------------------
lines += ["", "## Targets", "", "| target | met | measured |", "|---|---|---|"]
for name, met, what in targets_met:
    lines.append(f"| {name} | {'yes' if met else '**no**'} | {what} |")
notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.md")
if os.path.exists(notes):
    lines += ["", open(notes).read().rstrip()]
lines += ["", "## Charts", "", "![fio, relative to pmem](fio.png)", "",
          "![throughput vs chunks in flight](inflight.png)", "",
          "![struct pages vs BAR size](scale.png)", "",
          "Raw data: `fio/*.json` (fio's own JSON), `raw/*.txt`, `raw/*.tap`."]
with open(os.path.join(out, "report.md"), "w") as f:
    f.write("\n".join(lines) + "\n")

gp = f"""
set terminal pngcairo size 900,420 font ',10' noenhanced
set output '{out}/fio.png'
set title 'fio figure relative to pmem (block device), same VM boot'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right
set yrange [0:*]
set ylabel 'ratio to pmem'
set xtics rotate by 20 right
plot for [i=2:7] '{out}/fio.dat' using i:xtic(1) title columnheader(i)

set output '{out}/inflight.png'
set title 'NVMe -> buffer -> NVMe throughput vs chunks in flight'
set style data linespoints
set logscale x 2
set xlabel 'chunks in flight'
set ylabel 'MiB/s'
set xtics norotate
plot '{out}/inflight.dat' using 1:2 title 'P2P (BAR)', '' using 1:3 title 'bounce (RAM)'

set output '{out}/scale.png'
unset logscale
set title 'cost of struct pages vs BAR size (linear axes)'
set xlabel 'BAR size (MiB)'
set ylabel 'ms'
set y2label 'struct page memory (KiB)'
set y2tics
set yrange [0:*]
set y2range [0:*]
plot '{out}/scale.dat' using 1:3 title 'create pages (ms)', '' using 1:2 title 'bind raw (ms)', \\
     '' using 1:5 axes x1y2 title 'struct page KiB'
"""
subprocess.run(["gnuplot"], input=gp.encode(), check=True)

# The tracked copy (Documentation/bench/) and the README's summary.
top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
doc = os.path.join(top, "Documentation", "bench")
os.makedirs(doc, exist_ok=True)
for name in ("report.md", "fio.png", "inflight.png", "scale.png"):
    with open(os.path.join(out, name), "rb") as src, open(os.path.join(doc, name), "wb") as dst:
        dst.write(src.read())
summary = ["<!-- bench:begin (written by make bench) -->",
           "Latest `make bench` figures (QEMU TCG on a 2-core machine: emulated "
           "hardware, so the ratios matter, not the absolute numbers; full "
           "report with CPU per operation and the reasons for the targets missed "
           "in [Documentation/bench/report.md](Documentation/bench/report.md)):", ""]
take = False
for line in lines:
    if line.startswith("| job | iopmem raw"):
        take = True
    if take and not line.startswith("|"):
        break
    if take:
        summary.append(line)
summary += [""] + [l for l in lines if l.startswith("Ratios:")]
summary += ["", "| target | met | measured |", "|---|---|---|"]
summary += [f"| {n} | {'yes' if m else '**no**'} | {w} |" for n, m, w in targets_met]
summary += ["", "![fio, relative to pmem](Documentation/bench/fio.png)",
            "![P2P and bounce vs chunks in flight](Documentation/bench/inflight.png)",
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
