#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/).

The seeds are committed; rerun this after changing an input layout
(documented at the top of each fuzz-<target>.c).  Each seed is a
well-formed case (or a classic mistake) so that fuzzing starts from inputs
that reach deep into the walkers instead of being rejected at once.
"""
import os
import struct

TOP = os.path.dirname(os.path.abspath(__file__))
PAGE = 4096

READ, WRITE, FLUSH, COMPARE, WZ, DSM, VERIFY = 0x02, 0x01, 0x00, 0x05, 0x08, 0x09, 0x0C
PSDT_SGL = 0x40


def sqe(opc, flags=0, nsid=1, prp1=0, prp2=0, sgl=None, cdw=(0,) * 6):
    dptr = sgl if sgl is not None else struct.pack("<QQ", prp1, prp2)
    return (struct.pack("<BBHIIIQ", opc, flags, 0x1234, nsid, 0, 0, 0) + dptr +
            struct.pack("<6I", *cdw))


def sgl_desc(typ, addr, length, sub=0):
    return struct.pack("<QI3xB", addr, length, (typ << 4) | sub)


DATA, BITBUCKET, SEG, LAST, KEYED = 0, 1, 2, 3, 4


class Mem:
    """Host memory image from address 0, as the fuzzers load it."""

    def __init__(self):
        self.b = bytearray()

    def put(self, addr, data):
        if len(self.b) < addr + len(data):
            self.b.extend(bytes(addr + len(data) - len(self.b)))
        self.b[addr:addr + len(data)] = data
        return self

    def prps(self, addr, entries):
        return self.put(addr, b"".join(struct.pack("<Q", e) for e in entries))


def rw_cdw(slba, nlb, control=0):
    return (slba & 0xFFFFFFFF, slba >> 32, (nlb - 1) | (control << 16), 0, 0, 0)


def write(target, name, data):
    d = os.path.join(TOP, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def prp_sgl(name, s, length, mem=Mem(), sgl=False, page_shift=0, max_len=0, cmb=False):
    hdr = struct.pack("<BII", (1 if sgl else 0) | (page_shift << 1) | (8 if cmb else 0),
                      length, max_len)
    write("prp-sgl", name, hdr + s + bytes(mem.b))


def prp_sgl_seeds():
    prp_sgl("prp1", sqe(READ, prp1=0x10000), 512)
    prp_sgl("prp1-offset-prp2", sqe(WRITE, prp1=0x10200, prp2=0x20000), 2 * PAGE)
    prp_sgl("prp1-misaligned", sqe(READ, prp1=0x10001), 512)
    prp_sgl("prp2-offset", sqe(READ, prp1=0x10000, prp2=0x20010), 2 * PAGE)
    pages = [0x20000 + i * PAGE for i in range(15)]
    prp_sgl("prp-list", sqe(READ, prp1=0x10000, prp2=0x1000), 16 * PAGE,
            Mem().prps(0x1000, pages))
    # A list starting at offset 0xf00 of its page: 31 entries, then a chain.
    first = [0x40000 + i * PAGE for i in range(31)] + [0x2000]
    rest = [0x80000 + i * PAGE for i in range(268)]
    prp_sgl("prp-list-offset-chain", sqe(READ, prp1=0x10400, prp2=0x1f00),
            300 * PAGE - 0x400, Mem().prps(0x1f00, first).prps(0x2000, rest))
    prp_sgl("prp-list-entry-offset", sqe(READ, prp1=0x10000, prp2=0x1000),
            4 * PAGE, Mem().prps(0x1000, [0x20000, 0x21008, 0x22000]))
    prp_sgl("prp-chain-to-itself", sqe(READ, prp1=0x10000, prp2=0x1000),
            600 * PAGE, Mem().prps(0x1000, [0x30000] * 511 + [0x1000]))
    prp_sgl("mdts-exceeded", sqe(READ, prp1=0x10000, prp2=0x11000), 2 * PAGE,
            max_len=PAGE)
    prp_sgl("prp-32k-page", sqe(READ, prp1=0x10000, prp2=0x20000), 0x18000,
            page_shift=3)
    prp_sgl("sgl-data-block", sqe(READ, PSDT_SGL, sgl=sgl_desc(DATA, 0x10000, PAGE)),
            PAGE, sgl=True)
    prp_sgl("sgl-not-enabled", sqe(READ, PSDT_SGL, sgl=sgl_desc(DATA, 0x10000, PAGE)),
            PAGE)
    seg = sgl_desc(DATA, 0x10000, 1024) + sgl_desc(DATA, 0x20000, 1024) + \
        sgl_desc(DATA, 0x30000, 1024)
    prp_sgl("sgl-last-segment", sqe(WRITE, PSDT_SGL, sgl=sgl_desc(LAST, 0x800, 48)),
            3072, Mem().put(0x800, seg), sgl=True)
    m = Mem()
    m.put(0x800, sgl_desc(DATA, 0x10000, 512) + sgl_desc(SEG, 0x900, 32))
    m.put(0x900, sgl_desc(DATA, 0x10200, 512) + sgl_desc(LAST, 0xa00, 48))
    m.put(0xa00, sgl_desc(BITBUCKET, 0, 512) + sgl_desc(DATA, 0x0, 0) +
          sgl_desc(DATA, 0x30000, 4096))
    prp_sgl("sgl-segment-chain-bitbucket",
            sqe(READ, PSDT_SGL, sgl=sgl_desc(SEG, 0x800, 32)), 2048, m, sgl=True)
    prp_sgl("sgl-bitbucket-write",
            sqe(WRITE, PSDT_SGL, sgl=sgl_desc(SEG, 0xa00, 48)), 2048, m, sgl=True)
    prp_sgl("sgl-segment-loop", sqe(READ, PSDT_SGL, sgl=sgl_desc(SEG, 0x800, 16)),
            PAGE, Mem().put(0x800, sgl_desc(SEG, 0x800, 16)), sgl=True)
    prp_sgl("sgl-keyed", sqe(READ, PSDT_SGL, sgl=sgl_desc(KEYED, 0x10000, PAGE)),
            PAGE, sgl=True)
    prp_sgl("sgl-too-short", sqe(READ, PSDT_SGL, sgl=sgl_desc(DATA, 0x10000, 512)),
            PAGE, sgl=True)
    # The CMB (0x8000-0xbfff in the target) holds no lists, segments or data.
    prp_sgl("cmb-prp1", sqe(READ, prp1=0x9000), 512, cmb=True)
    prp_sgl("cmb-prp-list", sqe(READ, prp1=0x10000, prp2=0x8000), 4 * PAGE,
            Mem().prps(0x1000, [0x20000, 0x9000, 0x22000]), cmb=True)
    prp_sgl("cmb-prp-list-entry", sqe(READ, prp1=0x10000, prp2=0x1000), 4 * PAGE,
            Mem().prps(0x1000, [0x20000, 0xb000, 0x22000]), cmb=True)
    prp_sgl("cmb-sgl-segment", sqe(READ, PSDT_SGL, sgl=sgl_desc(LAST, 0xbff0, 32)),
            2048, Mem().put(0xbff0, sgl_desc(DATA, 0x10000, 1024) +
                            sgl_desc(DATA, 0x20000, 1024)), sgl=True, cmb=True)


def io_cmd(name, s, mem=Mem(), nsflags=0x08, result=0, blocks=2048, mdts=32):
    hdr = struct.pack("<BBIB", nsflags, result, blocks - 1, mdts)
    write("io-cmd", name, hdr + s + bytes(mem.b))


def io_cmd_seeds():
    io_cmd("read", sqe(READ, prp1=0x10000, prp2=0x11000, cdw=rw_cdw(0, 8)))
    io_cmd("read-4k-list", sqe(READ, prp1=0x10000, prp2=0x1000, cdw=rw_cdw(8, 4)),
           Mem().prps(0x1000, [0x11000, 0x12000, 0x13000]), nsflags=0x18)
    io_cmd("write-fua", sqe(WRITE, prp1=0x2000, cdw=rw_cdw(100, 1, 1 << 14)),
           Mem().put(0x2000, b"\x55" * 512))
    io_cmd("write-readonly", sqe(WRITE, prp1=0x2000, cdw=rw_cdw(0, 1)), nsflags=0x09)
    io_cmd("read-lba-range", sqe(READ, prp1=0x10000, cdw=rw_cdw(2047, 2)))
    io_cmd("read-backend-error", sqe(READ, prp1=0x10000, cdw=rw_cdw(0, 1)), result=1)
    io_cmd("flush", sqe(FLUSH))
    io_cmd("flush-broadcast", sqe(FLUSH, nsid=0xFFFFFFFF))
    io_cmd("nsid-zero", sqe(READ, nsid=0, prp1=0x10000, cdw=rw_cdw(0, 1)))
    io_cmd("nsid-second", sqe(READ, nsid=2, prp1=0x10000, cdw=rw_cdw(0, 1)),
           nsflags=0x48)
    io_cmd("write-zeroes-native", sqe(WZ, cdw=rw_cdw(0, 65536)), nsflags=0x0a,
           blocks=1 << 20)
    io_cmd("write-zeroes-emulated", sqe(WZ, cdw=rw_cdw(16, 64, 1 << 9)))
    ranges = b"".join(struct.pack("<IIQ", 0, n, s) for s, n in
                      ((0, 8), (100, 0), (1000, 48), (2040, 8)))
    io_cmd("dsm-deallocate", sqe(DSM, prp1=0x1000, cdw=(3, 4, 0, 0, 0, 0)),
           Mem().put(0x1000, ranges), nsflags=0x0c)
    io_cmd("dsm-out-of-range", sqe(DSM, prp1=0x1000, cdw=(0, 4, 0, 0, 0, 0)),
           Mem().put(0x1000, struct.pack("<IIQ", 0, 9, 2040)), nsflags=0x0c)
    io_cmd("compare", sqe(COMPARE, prp1=0x2000, cdw=rw_cdw(0, 1)),
           Mem().put(0x2000, b"\x3c" * 512))
    io_cmd("compare-mismatch", sqe(COMPARE, prp1=0x2000, cdw=rw_cdw(0, 1)),
           Mem().put(0x2000, b"\x3d" * 512))
    io_cmd("verify", sqe(VERIFY, cdw=rw_cdw(0, 16)))
    io_cmd("read-sgl", sqe(READ, PSDT_SGL, sgl=sgl_desc(LAST, 0x800, 32),
                           cdw=rw_cdw(0, 2)),
           Mem().put(0x800, sgl_desc(DATA, 0x10000, 512) +
                     sgl_desc(BITBUCKET, 0, 512)), nsflags=0x28)
    io_cmd("write-uncorrectable", sqe(0x04, cdw=rw_cdw(0, 1)))
    io_cmd("fused", sqe(READ, 0x01, prp1=0x10000, cdw=rw_cdw(0, 1)))


prp_sgl_seeds()
io_cmd_seeds()


# fuzz-ctrl: a setup byte, then operations (see fuzz-ctrl.c).
def op_reg(off, val):
    return struct.pack("<BHI", 0, off, val)


def op_admin(s):
    return bytes([1]) + s


def op_io(qid, s):
    return bytes([2, qid - 1]) + s


def op_mem(off, data):
    return struct.pack("<BIB", 3, off, len(data)) + data


def op_db(qid, val, cq=False):
    return struct.pack("<BBH", 4, qid | (0x80 if cq else 0), val)


def op_off(shutdown):
    return bytes([5, 1 if shutdown else 0])


def ctrl(name, setup, *ops):
    write("ctrl", name, bytes([setup]) + b"".join(ops))


def ctrl_seeds():
    ident = lambda cns, nsid=0: sqe(0x06, nsid=nsid, prp1=0x300000, cdw=(cns, 0, 0, 0, 0, 0))
    ctrl("enable-by-registers", 0,
         op_reg(0x24, 0x000f000f), op_reg(0x28, 0x10000), op_reg(0x2c, 1),
         op_reg(0x30, 0x20000), op_reg(0x34, 1), op_reg(0x14, 0x00460001),
         op_admin(ident(1)), op_admin(ident(0, 1)))
    ctrl("io-read-write", 1,
         op_io(1, sqe(WRITE, prp1=0x200000, cdw=rw_cdw(0, 8))),
         op_io(2, sqe(READ, prp1=0x200000, cdw=rw_cdw(0, 8))),
         op_io(1, sqe(FLUSH)))
    ctrl("io-prp-list", 1,
         op_mem(0x210000, struct.pack("<3Q", 0x100201000, 0x100202000, 0x100203000)),
         op_io(1, sqe(READ, prp1=0x200000, prp2=0x210000, cdw=rw_cdw(0, 32))))
    ctrl("io-sgl", 3,
         op_mem(0x210000, sgl_desc(DATA, 0x100200000, 512) + sgl_desc(BITBUCKET, 0, 512)),
         op_io(1, sqe(READ, PSDT_SGL, sgl=sgl_desc(LAST, 0x210000, 32), cdw=rw_cdw(0, 2))))
    ctrl("queues", 1,
         op_admin(sqe(0x04, cdw=(2, 0, 0, 0, 0, 0))),
         op_admin(sqe(0x00, cdw=(2, 0, 0, 0, 0, 0))),
         op_admin(sqe(0x04, cdw=(2, 0, 0, 0, 0, 0))),
         op_admin(sqe(0x05, prp1=0x400000, cdw=(2 | (15 << 16), 1 | 2 | (1 << 16), 0, 0, 0, 0))),
         op_admin(sqe(0x01, prp1=0x401000, cdw=(2 | (15 << 16), 1 | (2 << 16), 0, 0, 0, 0))),
         op_db(2, 5), op_db(2, 40), op_db(1, 100, cq=True),
         op_admin(sqe(0x01, prp1=0x401000, cdw=(3 | (15 << 16), 1 | (3 << 16), 0, 0, 0, 0))))
    ctrl("admin-misc", 1,
         op_admin(sqe(0x0c)), op_admin(sqe(0x0c)),
         op_admin(sqe(0x02, nsid=0xFFFFFFFF, prp1=0x300000, cdw=(2 | (127 << 16), 0, 0, 0, 0, 0))),
         op_admin(sqe(0x02, prp1=0x300000, cdw=(1 | (1023 << 16), 0, 0, 0, 0, 0))),
         op_admin(sqe(0x09, cdw=(7, 0x00030003, 0, 0, 0, 0))),
         op_admin(sqe(0x0a, cdw=(8 | (3 << 8), 0, 0, 0, 0, 0))),
         op_admin(sqe(0x09, cdw=(8, 0x0505, 0, 0, 0, 0))),
         op_admin(sqe(0x08, cdw=(1 | (5 << 16), 0, 0, 0, 0, 0))),
         op_admin(sqe(0x18)), op_admin(sqe(0xff)))
    ctrl("shutdown-disable-reenable", 1,
         op_io(1, sqe(READ, prp1=0x200000, cdw=rw_cdw(0, 1))),
         op_off(True), op_off(False), op_reg(0x14, 0x00460001),
         op_admin(ident(1)))
    ctrl("bad-registers", 1,
         op_reg(0x14, 0x00460001 | (5 << 7)), op_reg(0x24, 0xffffffff),
         op_reg(0x14, 0), op_reg(0x14, 0x00460001), op_reg(0x1000, 0xffff),
         op_reg(0x1004, 0xffff), op_reg(0x20, 0x4e564d65))
    hold, release = bytes([6]), bytes([7])
    ctrl("held-io-queue-delete", 1,
         hold, op_io(1, sqe(READ, prp1=0x200000, cdw=rw_cdw(0, 8))),
         op_io(2, sqe(WRITE, prp1=0x200000, cdw=rw_cdw(8, 8))),
         op_admin(sqe(0x00, cdw=(1, 0, 0, 0, 0, 0))),
         op_admin(sqe(0x08, cdw=(2 | (7 << 16), 0, 0, 0, 0, 0))),
         release, op_admin(sqe(0x04, cdw=(1, 0, 0, 0, 0, 0))))
    ctrl("held-io-reset", 1,
         hold, op_io(1, sqe(READ, prp1=0x200000, cdw=rw_cdw(0, 8))),
         op_off(False), release)
    # Namespace Management over the pool (setup bit 4): create NSID 2
    # (16 blocks), attach it, I/O, delete it under a held read, lists.
    mgmt = lambda sel, nsid=0, prp1=0: sqe(0x0d, nsid=nsid, prp1=prp1, cdw=(sel, 0, 0, 0, 0, 0))
    attach = lambda sel, nsid: sqe(0x15, nsid=nsid, prp1=0x301000, cdw=(sel, 0, 0, 0, 0, 0))
    ctrl("nsmgmt", 1 | 16,
         op_mem(0x300000, struct.pack("<QQ", 16, 16) + bytes(16)),
         op_admin(mgmt(0, prp1=0x300000)),
         op_mem(0x301000, struct.pack("<HH", 1, 1)),
         op_admin(attach(0, 2)), op_admin(attach(0, 2)),
         op_io(1, sqe(WRITE, nsid=2, prp1=0x200000, cdw=rw_cdw(0, 8))),
         hold, op_io(2, sqe(READ, nsid=2, prp1=0x200000, cdw=rw_cdw(0, 8))),
         op_admin(mgmt(1, nsid=2)), release,
         op_admin(ident(0x10)), op_admin(ident(0x11, 2)), op_admin(ident(0x12, 1)),
         op_admin(mgmt(0, prp1=0x300000)), op_admin(attach(1, 2)),
         op_admin(mgmt(1, nsid=0xFFFFFFFF)))
    # Get LBA Status and log 0Eh after a Write Uncorrectable; Feature 16h
    # enabling Copy format 2h (CDFE bytes 5:4), a format 2h Copy, Get 16h.
    ctrl("lba-status-copy2", 1,
         op_io(1, sqe(0x04, cdw=rw_cdw(10, 4))),
         op_admin(sqe(0x86, prp1=0x300000, cdw=(0, 0, 255, 0x11 << 24, 0, 0))),
         op_admin(sqe(0x02, nsid=0xFFFFFFFF, prp1=0x300000, cdw=(0x0e | (255 << 16), 0, 0, 0, 0, 0))),
         op_mem(0x302000, bytes(4) + struct.pack("<H", 4)),
         op_admin(sqe(0x09, nsid=0, prp1=0x302000, cdw=(0x16, 0, 0, 0, 0, 0))),
         op_mem(0x303000, struct.pack("<I4xQHBBHHIHH", 1, 20, 7, 0, 0, 0, 0, 0, 0, 0)),
         op_io(1, sqe(0x19, prp1=0x303000, cdw=(100, 0, 2 << 8, 0, 0, 0))),
         op_admin(sqe(0x0a, nsid=0, prp1=0x302000, cdw=(0x16, 0, 0, 0, 0, 0))))


ctrl_seeds()
