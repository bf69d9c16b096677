#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot the test guest and show, for a person, both sides of our
# NVMe endpoint function: the endpoint's configfs tree and kernel log, and
# what the stock Linux NVMe host driver sees (lspci, nvme list, id-ctrl,
# interrupts, a 10 s fio randread).
#
#   tests/vm/demo.sh [SUITE]        trixie (default) or sid
#
# Installs the host tools, fetches the kernel and userland, builds the
# modules; exits non-zero if the NVMe device did not appear.
set -u
vm=$(dirname "$0")
suite=${1:-${SUITE:-trixie}}
echo "nvme-epf demo: Debian $suite arm64 guest under QEMU (TCG); the first run"
echo "downloads and builds for a few minutes, later runs take about a minute."
GUEST_TESTS=none GUEST_SCRIPT="$vm/demo-guest.sh" exec bash "$vm/run.sh" "$suite"
