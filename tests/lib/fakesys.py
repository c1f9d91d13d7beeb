#!/usr/bin/env python3
# fakesys.py ROOT < SPEC - build a made-up sysfs (and /proc/cpuinfo) under
# ROOT for the host tools' tests (IOPMEM_SYSROOT=ROOT).  SPEC, one per line:
#   cpu VENDOR FAMILY                       /proc/cpuinfo (GenuineIntel 6)
#   dev PATH id=VVVV:DDDD class=CCCCCC [pcie=root|up|down|ep] [acs=HEX]
#       [small] [driver=NAME] [iommu=TYPE] [block=MAJ:MIN:NAME] [mem=BYTES]
#       [iopmem] [p2pmem=BYTES]
#   vblk MAJ:MIN NAME [slaves=A,B,...] [multipath=A,B,...]
#                                           a virtual block device stacked
#                                           on block devices named before
#                                           (md, dm; an NVMe multipath head)
#   part MAJ:MIN NAME of=DISK               a partition of block device DISK
#   nvmehead MAJ:MIN NAME paths=PATH@BDF,...
#                                           an NVMe multipath namespace as
#                                           6.1 and 6.12 show it: no
#                                           "multipath" directory; below its
#                                           subsystem, which links each
#                                           controller, which holds PATH
#                                           (nvmeScCnH) below function BDF
# PATH is the device's path under /sys/devices, e.g.
# pci0000:00/0000:00:01.0/0000:01:00.0 (its last part is its address);
# pcie= gives it a PCI Express capability of that port type, acs= an ACS
# capability with that control word; small cuts its config file to the 64
# bytes sysfs shows a user who is not root; mem= a 64-bit prefetchable
# memory BAR 0 of that size; iopmem binds it to iopmem, with iopmem's
# attributes (bar 0, mode raw, persistent 0, posted_durable 0, align 4096,
# access_width 64) as plain files; p2pmem= makes it a published P2PDMA
# provider of that size (p2pmem/allocate, size, available, published).
import os
import struct
import sys

PCIE_TYPE = {"ep": 0, "root": 4, "up": 5, "down": 6}


def config(vendor, device, klass, pcie, acs):
    c = bytearray(4096)
    struct.pack_into("<HH", c, 0, vendor, device)
    c[0x09:0x0C] = klass.to_bytes(3, "little")
    c[0x0E] = 1 if klass >> 8 == 0x0604 else 0
    if pcie is not None:
        struct.pack_into("<H", c, 0x06, 0x10)           # status: capability list
        c[0x34] = 0x40
        struct.pack_into("<BBH", c, 0x40, 0x10, 0, 2 | PCIE_TYPE[pcie] << 4)
        if acs is not None:
            struct.pack_into("<IHH", c, 0x100, 0x0D | 1 << 16, 0x7F, acs)
    return bytes(c)


def main():
    root = sys.argv[1]
    sysfs = os.path.join(root, "sys")
    os.makedirs(os.path.join(sysfs, "bus/pci/devices"), exist_ok=True)
    os.makedirs(os.path.join(sysfs, "bus/pci/drivers"), exist_ok=True)
    os.makedirs(os.path.join(sysfs, "dev/block"), exist_ok=True)
    os.makedirs(os.path.join(root, "proc"), exist_ok=True)
    cpu = ("GenuineIntel", 6)
    blocks = {}                     # block device name -> its sysfs dir

    def dev_block(mm, b):
        os.symlink(os.path.relpath(b, os.path.join(sysfs, "dev/block")),
                   os.path.join(sysfs, "dev/block", mm))
    for line in sys.stdin:
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        if w[0] == "cpu":
            cpu = (w[1], int(w[2]))
            continue
        if w[0] == "nvmehead":
            mm, name = w[1], w[2]
            opts = dict(o.split("=", 1) for o in w[3:])
            sub = os.path.join(sysfs, "devices/virtual/nvme-subsystem",
                               "nvme-subsys" + name[4:].split("n")[0])
            b = os.path.join(sub, name)
            os.makedirs(b)
            for pth in opts["paths"].split(","):
                pname, bdf = pth.split("@")
                ctrl = "nvme" + pname.split("c")[1].split("n")[0]
                cdir = os.path.join(os.path.realpath(os.path.join(sysfs, "bus/pci/devices", bdf)),
                                    "nvme", ctrl)
                os.makedirs(os.path.join(cdir, pname))
                os.symlink(os.path.relpath(cdir, sub), os.path.join(sub, ctrl))
            blocks[name] = b
            dev_block(mm, b)
            continue
        if w[0] in ("vblk", "part"):
            mm, name = w[1], w[2]
            opts = dict(o.split("=", 1) for o in w[3:])
            if w[0] == "part":
                b = os.path.join(blocks[opts["of"]], name)
                os.makedirs(b)
                with open(os.path.join(b, "partition"), "w") as f:
                    f.write("1\n")
            else:
                b = os.path.join(sysfs, "devices/virtual/block", name)
                os.makedirs(b)
                for kind in ("slaves", "multipath"):
                    if kind not in opts:
                        continue
                    os.makedirs(os.path.join(b, kind))
                    for m in opts[kind].split(","):
                        os.symlink(os.path.relpath(blocks[m], os.path.join(b, kind)),
                                   os.path.join(b, kind, m))
            blocks[name] = b
            dev_block(mm, b)
            continue
        path, opts = w[1], dict((o.split("=", 1) + [""])[:2] for o in w[2:])
        bdf = path.rsplit("/", 1)[1]
        d = os.path.join(sysfs, "devices", path)
        os.makedirs(d, exist_ok=True)
        vendor, device = (int(x, 16) for x in opts["id"].split(":"))
        klass = int(opts["class"], 16)
        acs = int(opts["acs"], 16) if "acs" in opts else None
        c = config(vendor, device, klass, opts.get("pcie"), acs)
        with open(os.path.join(d, "config"), "wb") as f:
            f.write(c[:64] if "small" in opts else c)
        files = {"vendor": "0x%04x" % vendor, "device": "0x%04x" % device,
                 "class": "0x%06x" % klass, "irq": "0", "numa_node": "-1",
                 "subsystem_vendor": "0x0000", "subsystem_device": "0x0000",
                 "revision": "0x00",
                 "resource": "".join("0x%016x 0x%016x 0x%016x\n" % (0, 0, 0) for _ in range(13))}
        if "mem" in opts:
            start = 0xE0000000 + (len(os.listdir(os.path.join(sysfs, "bus/pci/devices"))) << 24)
            files["resource"] = "0x%016x 0x%016x 0x%016x\n" % (
                start, start + int(opts["mem"]) - 1, 0x0014220C) + files["resource"].split("\n", 1)[1]
        for name, text in files.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text + ("" if text.endswith("\n") else "\n"))
        os.symlink(os.path.relpath(d, os.path.join(sysfs, "bus/pci/devices")),
                   os.path.join(sysfs, "bus/pci/devices", bdf))
        if "iopmem" in opts:
            opts["driver"] = "iopmem"
            os.makedirs(os.path.join(d, "iopmem"))
            for name, text in (("bar", "0"), ("mode", "raw"), ("persistent", "0"),
                               ("posted_durable", "0"), ("align", "4096"),
                               ("access_width", "64")):
                with open(os.path.join(d, "iopmem", name), "w") as f:
                    f.write(text + "\n")
        if "p2pmem" in opts:
            os.makedirs(os.path.join(d, "p2pmem"))
            for name, text in (("allocate", ""), ("size", opts["p2pmem"]),
                               ("available", opts["p2pmem"]), ("published", "1")):
                with open(os.path.join(d, "p2pmem", name), "w") as f:
                    f.write(text + "\n" if text else "")
        if "driver" in opts:
            drv = os.path.join(sysfs, "bus/pci/drivers", opts["driver"])
            os.makedirs(drv, exist_ok=True)
            os.symlink(os.path.relpath(drv, d), os.path.join(d, "driver"))
        if "iommu" in opts:
            g = os.path.join(sysfs, "kernel/iommu_groups", bdf)
            os.makedirs(g, exist_ok=True)
            with open(os.path.join(g, "type"), "w") as f:
                f.write(opts["iommu"] + "\n")
            os.symlink(os.path.relpath(g, d), os.path.join(d, "iommu_group"))
        if "block" in opts:
            mm, name = opts["block"].rsplit(":", 1)
            b = os.path.join(d, "block", name)
            os.makedirs(b, exist_ok=True)
            blocks[name] = b
            dev_block(mm, b)
    with open(os.path.join(root, "proc/cpuinfo"), "w") as f:
        f.write("processor\t: 0\nvendor_id\t: %s\ncpu family\t: %d\n\n" % cpu)


main()
