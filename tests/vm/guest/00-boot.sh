#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The guest came up as the other tests expect: pseudo filesystems, the stock
# NVMe host modules, our modules, the virtual endpoint controller offering
# the run's DMA (VEPC_DMA) and nvme_epf choosing by it (dma_engine=auto).
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

mounted() { grep -q " $1 $2 " /proc/mounts; }
loaded() { [ -d "/sys/module/$1" ]; }

check boot-configfs-mounted mounted /sys/kernel/config configfs
check boot-debugfs-mounted mounted /sys/kernel/debug debugfs
check boot-nvme-host-loaded loaded nvme
check boot-nvme-core-timeouts grep -qx 15 /sys/module/nvme_core/parameters/admin_timeout
check boot-tools command -v nvme fio lspci mkfs.ext4 modprobe

# Our modules: missing ones are tolerated only while the harness itself is
# being developed (VM_ALLOW_MISSING_MODULES=1).
ours() {
	local name=$1 m=$2
	if [ "${VM_ALLOW_MISSING_MODULES:-0}" = 1 ] && ! modinfo "$m" >/dev/null 2>&1; then
		skip "$name" "$m.ko not built"
		return 1
	fi
	shift 2
	check "$name" "$@"
}
ours boot-vepc-loaded vepc loaded vepc &&
	ours boot-vepc-epc vepc test -d /sys/class/pci_epc/vepc.0 &&
	ours boot-vepc-dma vepc test "$(vepc_mode)" = "$VEPC_DMA"
ours boot-nvme-epf-loaded nvme_epf loaded nvme_epf &&
	ours boot-nvme-epf-configfs nvme_epf test -d /sys/kernel/config/nvme_epf/functions &&
	ours boot-nvme-epf-dma-auto nvme_epf grep -qx auto /sys/module/nvme_epf/parameters/dma_engine
nepf_exit
