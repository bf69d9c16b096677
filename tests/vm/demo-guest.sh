#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest half of make demo (tests/vm/demo.sh): printed between the SHOW
# markers so that the host echoes it.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

heading() { printf '\n==== %s\n' "$*"; }
model="nvme-epf demo" serial=NEPFDEMO0001

echo NEPF-SHOW-BEGIN
heading "Endpoint side: one function on the virtual endpoint controller vepc.0," \
	"namespace 1 = 512 MiB memory-backed null_blk, 4 I/O queues"
dmesg_mark
if nepf_up backend=nullb size=512M queues=4 model="$model" serial=$serial; then
	echo "started: $NEPF_CFS/functions/$NEPF_FN/start = 1"
else
	echo "bring-up failed"
fi
dev=$(wait_for_nvme 30)

heading "Endpoint side: configfs ($NEPF_CFS)"
nepf_dump
heading "Endpoint side: kernel log of nvme_epf and vepc"
dmesg_since_mark | grep -iE 'nvme.epf|vepc|pci_epc|epf' | tail -n 25

if [ -z "$dev" ]; then
	heading "Host side: no NVMe device appeared"
	dmesg_since_mark | tail -n 30
	echo NEPF-SHOW-END
	fail demo-device-appears
	nepf_down
	exit 1
fi
ctrl=$(nvme_ctrl_of "$dev")
heading "Host side: kernel log of the PCI core and the stock nvme driver"
dmesg_since_mark | grep -E '\] (nvme nvme|nvme [0-9a-f]{4}:|pci [0-9a-f]{4}:)' | tail -n 15
heading "Host side: lspci -nn"
lspci -nn
heading "Host side: nvme list"
nvme list
heading "Host side: nvme id-ctrl $ctrl (excerpt)"
nvme id-ctrl "$ctrl" | grep -E '^(vid|ssvid|sn|mn|fr|mdts|cntlid|ver|sqes|cqes|nn|oncs|vwc) '
heading "Host side: fio 4k random read, 4 jobs x QD32, 10 s"
fio --name=demo --filename="$dev" --ioengine=libaio --direct=1 --rw=randread \
	--bs=4k --iodepth=32 --numjobs=4 --cpus_allowed=0-3 \
	--cpus_allowed_policy=split --time_based --runtime=10 --group_reporting \
	> /tmp/fio-demo.txt 2>&1
fio_rc=$?
grep -E 'IOPS=|clat \(|READ:|err=' /tmp/fio-demo.txt
heading "Host side: /proc/interrupts after fio (one MSI-X vector per queue)"
grep -E 'CPU|nvme' /proc/interrupts
echo NEPF-SHOW-END

pass demo-device-appears
[ $fio_rc -eq 0 ] && pass demo-fio-randread || fail demo-fio-randread
nepf_down
nepf_exit
