#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The storage backends seen from the host side of our device: null, a file
# on tmpfs, a loop block device, a remote NVMe/TCP namespace (this guest's
# own nvmet target on 127.0.0.1) served by the bdev backend; read-only
# namespaces; namespaces enabled and disabled at runtime.
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

SERIAL=NEPF0001
# Small: QEMU TCG plus the emulated DMA engine do a few hundred IOPS.
FIO_RAND_SIZE=${FIO_RAND_SIZE:-2M}
FIO_SEQ_SIZE=${FIO_SEQ_SIZE:-4M}
TCP_NQN=nqn.2026-11.io.nvme-epf:tcp-backend
NVMET=/sys/kernel/config/nvmet

# Process substitution needs /dev/fd, which a bare initramfs may lack.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

if [ ! -d "$NEPF_CFS" ] || [ ! -d /sys/class/pci_epc/vepc.0 ]; then
	skip backends "nvme_epf or the virtual endpoint controller is missing"
	nepf_exit
fi

# Namespace NSID of a controller as a host block device, the controller
# matched by serial (SN) or by another of its sysfs attributes
# (ATTR=VALUE, e.g. subsysnqn=NQN), not by name: multipath head names need
# not follow the controller or the nsid.
ns_dev() {
	local key=$1 nsid=$2 attr=serial b v n
	case $key in *=*) attr=${key%%=*} key=${key#*=} ;; esac
	for b in /sys/block/nvme*n*; do
		[ -e "$b" ] || continue
		case ${b##*/} in *c*) continue ;; esac
		read -r v < "$b/device/$attr" 2>/dev/null || continue
		read -r n < "$b/nsid" 2>/dev/null || continue
		[ "$v" = "$key" ] && [ "$n" = "$nsid" ] && { echo "/dev/${b##*/}"; return 0; }
	done
	return 1
}

wait_ns_dev() {
	local key=$1 nsid=$2 secs=${3:-30} i
	for ((i = 0; i < secs * 10; i++)); do
		ns_dev "$key" "$nsid" && return 0
		sleep 0.1
	done
	return 1
}

wait_ns_gone() {
	local key=$1 nsid=$2 secs=${3:-30} i
	for ((i = 0; i < secs * 10; i++)); do
		ns_dev "$key" "$nsid" > /dev/null || return 0
		sleep 0.1
	done
	return 1
}

# The PCIe controller (character device) with serial SN.
pcie_ctrl() {
	local c s t
	for c in /sys/class/nvme/nvme*; do
		[ -e "$c" ] || continue
		read -r t < "$c/transport" 2>/dev/null
		read -r s < "$c/serial" 2>/dev/null
		[ "$t" = pcie ] && [ "$s" = "$1" ] && { echo "/dev/${c##*/}"; return 0; }
	done
	return 1
}

# fio write + verify: random 4 KiB, then 256 KiB sequential (multi-page
# transfers split at MDTS, several bios/bvecs per command).
fio_verify() {
	local dev=$1 log=/tmp/fio.$$.log
	fio --name=rand --filename="$dev" --direct=1 --ioengine=libaio --iodepth=8 \
		--rw=randwrite --bs=4k --size="$FIO_RAND_SIZE" --verify=crc32c \
		--verify_fatal=1 --output="$log" > /dev/null 2>&1 &&
	grep -q 'err= 0' "$log" &&
	fio --name=seq --filename="$dev" --direct=1 --ioengine=libaio --iodepth=4 \
		--rw=write --bs=256k --size="$FIO_SEQ_SIZE" --verify=crc32c \
		--verify_fatal=1 --output="$log" > /dev/null 2>&1 &&
	grep -q 'err= 0' "$log" || { tail -n 20 "$log"; return 1; }
}

# Host writes a pattern at 64 KiB block 10; it must land in BACKING.
data_lands_in() {
	local dev=$1 backing=$2
	head -c 65536 /dev/urandom > /tmp/pat &&
	dd if=/tmp/pat of="$dev" bs=64k seek=10 oflag=direct conv=notrunc status=none &&
	sync &&
	dd if="$backing" bs=64k skip=10 count=1 status=none | cmp - /tmp/pat
}

reads_zeroes() {
	dd if="$1" bs=1M count=4 iflag=direct status=none | cmp - <(head -c 4M /dev/zero)
}

# ---- null: reads return zeroes, writes are accepted and dropped ----
if nepf_up backend=null size=256M; then
	if dev=$(wait_ns_dev $SERIAL 1); then
		pass backend-null-up
		check backend-null-reads-zero reads_zeroes "$dev"
		check backend-null-write dd if=/dev/urandom of="$dev" bs=1M count=4 oflag=direct status=none
		check backend-null-write-dropped reads_zeroes "$dev"
		check backend-null-size test "$(blockdev --getsize64 "$dev")" = $((256 << 20))
	else
		fail backend-null-up "no namespace on the host"
	fi
else
	fail backend-null-up "configfs bring-up failed"
fi
nepf_down

# ---- file on tmpfs ----
img=/tmp/nepf-file.img
truncate -s 256M "$img"
if nepf_up backend=file dev="$img" && dev=$(wait_ns_dev $SERIAL 1); then
	pass backend-file-up
	check backend-file-fio-verify fio_verify "$dev"
	check backend-file-data-lands data_lands_in "$dev" "$img"
	check backend-file-discard blkdiscard -o 0 -l $((1 << 20)) "$dev"
	dd if=/dev/urandom of="$dev" bs=64k count=1 oflag=direct status=none
	check backend-file-zeroout blkdiscard -z -o 0 -l 65536 "$dev"
	check backend-file-zeroout-reads-zero cmp <(dd if="$dev" bs=64k count=1 iflag=direct status=none) <(head -c 65536 /dev/zero)
else
	fail backend-file-up
fi
nepf_down
# Buffered I/O: the workqueue path.
if nepf_up backend=file dev="$img" start=0 &&
   nepf_set "$NEPF_CFS/subsystems/$NEPF_SUB/namespaces/1/enable" 0 &&
   nepf_set "$NEPF_CFS/subsystems/$NEPF_SUB/namespaces/1/buffered_io" 1 &&
   nepf_set "$NEPF_CFS/subsystems/$NEPF_SUB/namespaces/1/enable" 1 &&
   nepf_set "$NEPF_CFS/functions/$NEPF_FN/start" 1 && dev=$(wait_ns_dev $SERIAL 1); then
	check backend-file-buffered-fio-verify fio_verify "$dev"
else
	fail backend-file-buffered-fio-verify "bring-up failed"
fi
nepf_down
rm -f "$img"

# A command of several bios (one Deallocate range of 5 GiB: a bio holds
# under 4 GiB) sends each bio before it allocates the next: bios come from
# a mempool whose guarantee of progress holds only for a caller that has
# no other bio not sent yet (block/bio.c).  The function tracer shows the
# order: A, an allocation by nvme_epf's bdev code, S, a submission.
bio_order() {
	local dev=$1 seq rc
	echo 'bio_alloc_bioset submit_bio' > "$T"/set_ftrace_filter ||
		{ echo "no function tracer"; return 1; }
	echo > "$T"/trace
	echo function > "$T"/current_tracer
	nvme dsm "$dev" --ad --slbs=0 --blocks=$(((5 << 30) / 512)) > /dev/null
	rc=$?
	# read before the tracer changes: that empties the buffer
	echo 0 > "$T"/tracing_on
	seq=$(awk '/<-nepf_bdev/ { printf "%s", / bio_alloc_bioset/ ? "A" : "S" }' \
		"$T"/trace)
	echo "nvme dsm: $rc; bios: $seq"
	[ -n "$seq" ] || grep -m 6 -E 'bio_alloc_bioset|submit_bio' "$T"/trace
	echo nop > "$T"/current_tracer
	echo > "$T"/set_ftrace_filter
	echo 1 > "$T"/tracing_on
	[ "$rc" = 0 ] && [[ $seq == *A*A* ]] && [[ $seq != *AA* ]]
}

# ---- block device, a command of several bios (null_blk: discard needs
# memory_backed, which allocates only what is written) ----
export NEPF_NULLB_OPTS="discard=1"
T=/sys/kernel/tracing
[ -d "$T"/events ] || mount -t tracefs nodev "$T" 2>/dev/null
if ! grep -qw function "$T"/available_tracers 2>/dev/null; then
	# our 6.1 and 5.10 guest kernels are built without it (oldkern/)
	skip backend-bdev-bio-sent-before-next "no function tracer in this kernel"
elif nepf_up backend=nullb size=6G && dev=$(wait_ns_dev $SERIAL 1); then
	check backend-bdev-bio-sent-before-next bio_order "$dev"
else
	fail backend-bdev-bio-up
fi
unset NEPF_NULLB_OPTS
nepf_down

# ---- loop block device ----
limg=/tmp/nepf-loop.img
truncate -s 256M "$limg"
modprobe loop 2>/dev/null
if loopdev=$(losetup -f --show "$limg"); then
	if nepf_up backend=bdev dev="$loopdev" && dev=$(wait_ns_dev $SERIAL 1); then
		pass backend-loop-up
		check backend-loop-fio-verify fio_verify "$dev"
		check backend-loop-data-lands data_lands_in "$dev" "$limg"
		check backend-loop-discard blkdiscard -o 0 -l $((1 << 20)) "$dev"
		check backend-loop-flush sync
		# Exclusive open: nobody else may write under the host's feet.
		if out=$(mkfs.ext4 -q -F "$loopdev" 2>&1); then
			fail backend-loop-exclusive "mkfs on the backing device was allowed"
		elif [[ $out == *"in use"* || $out == *busy* ]]; then
			pass backend-loop-exclusive
		else
			fail backend-loop-exclusive "mkfs failed otherwise: $out"
		fi
	else
		fail backend-loop-up
	fi
	nepf_down
	losetup -d "$loopdev"
else
	skip backend-loop-up "losetup failed"
fi
rm -f "$limg"

# ---- read-only ----
img=/tmp/nepf-ro.img
head -c $((64 << 20)) /dev/zero > "$img"
if nepf_up backend=file dev="$img" ro=1 && dev=$(wait_ns_dev $SERIAL 1); then
	pass backend-ro-up
	check backend-ro-host-sees-ro test "$(blockdev --getro "$dev")" = 1
	check backend-ro-reads reads_zeroes "$dev"
	head -c 512 /dev/urandom > /tmp/blk
	# Through the generic char device: the block layer's own read-only
	# flag must not answer for us.
	gdev=/dev/ng${dev#/dev/nvme}
	[ -c "$gdev" ] || gdev=$dev
	out=$(nvme write "$gdev" --start-block=0 --block-count=0 --data-size=512 \
		--data=/tmp/blk 2>&1)
	if [[ ${out,,} == *"write protect"* || ${out,,} == *write_protect* ]]; then
		pass backend-ro-write-status
	else
		fail backend-ro-write-status "nvme write said: $out"
	fi
	check backend-ro-file-unchanged cmp <(head -c $((64 << 20)) /dev/zero) "$img"
else
	fail backend-ro-up
fi
nepf_down
rm -f "$img"

# ---- runtime namespace enable / disable (AEN, then ns-rescan) ----
if nepf_up backend=null size=64M && wait_ns_dev $SERIAL 1 > /dev/null; then
	N2=$NEPF_CFS/subsystems/$NEPF_SUB/namespaces/2
	mkdir "$N2" && nepf_set "$N2/backend" null && nepf_set "$N2/size" $((32 << 20))
	ctrl=$(pcie_ctrl $SERIAL)
	check backend-ns-enable-runtime nepf_set "$N2/enable" 1
	if wait_ns_dev $SERIAL 2 15 > /dev/null; then
		pass backend-ns-added-by-aen
	else
		fail backend-ns-added-by-aen "nsid 2 not seen 15 s after enable"
		nvme ns-rescan "$ctrl" > /dev/null 2>&1
	fi
	check backend-ns-added wait_ns_dev $SERIAL 2 5
	check backend-ns-disable-runtime nepf_set "$N2/enable" 0
	if wait_ns_gone $SERIAL 2 15; then
		pass backend-ns-removed-by-aen
	else
		fail backend-ns-removed-by-aen "nsid 2 still there 15 s after disable"
		nvme ns-rescan "$ctrl" > /dev/null 2>&1
	fi
	check backend-ns-removed wait_ns_gone $SERIAL 2 5
	check backend-ns1-still-works reads_zeroes "$(ns_dev $SERIAL 1)"
	rmdir "$N2"
else
	fail backend-ns-runtime "bring-up failed"
fi
nepf_down

# ---- NVMe/TCP namespace (this guest's nvmet) served by the bdev backend ----
tcp_up() {
	local s=$NVMET/subsystems/$TCP_NQN p=$NVMET/ports/1
	modprobe nvmet && modprobe nvmet-tcp && modprobe nvme-tcp || return 1
	ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up || return 1
	truncate -s 128M /tmp/nepf-tcp.img
	mkdir "$s" && echo 1 > "$s/attr_allow_any_host" &&
	mkdir "$s/namespaces/1" && echo /tmp/nepf-tcp.img > "$s/namespaces/1/device_path" &&
	echo 1 > "$s/namespaces/1/buffered_io" &&
	echo 1 > "$s/namespaces/1/enable" &&
	mkdir "$p" && echo tcp > "$p/addr_trtype" && echo ipv4 > "$p/addr_adrfam" &&
	echo 127.0.0.1 > "$p/addr_traddr" && echo 4420 > "$p/addr_trsvcid" &&
	ln -s "$s" "$p/subsystems/" || return 1
	nvme connect -t tcp -a 127.0.0.1 -s 4420 -n "$TCP_NQN" \
		--hostnqn="nqn.2014-08.org.nvmexpress:uuid:$(cat /proc/sys/kernel/random/uuid)"
}

tcp_down() {
	local s=$NVMET/subsystems/$TCP_NQN p=$NVMET/ports/1
	nvme disconnect -n "$TCP_NQN" > /dev/null 2>&1
	rm -f "$p/subsystems/$TCP_NQN"
	rmdir "$p" 2>/dev/null
	echo 0 > "$s/namespaces/1/enable" 2>/dev/null
	rmdir "$s/namespaces/1" "$s" 2>/dev/null
	rm -f /tmp/nepf-tcp.img
	# Leave no nvmet behind: 60-intree loads and unloads its own.
	local i
	for ((i = 0; i < 30; i++)); do
		modprobe -r nvme-tcp nvmet-tcp nvmet 2>/dev/null && return 0
		sleep 1
	done
	echo "nvmet-tcp/nvmet still in use after 30 s"; grep -E '^nvme' /proc/modules
	return 1
}

# The NVMe/TCP namespace is found by its subsystem NQN, not by serial:
# 5.10's nvmet keeps the serial as a u64, prints it in attr_serial with
# "%llx" and puts bin2hex() of its bytes (little-endian here) in Identify
# Controller, so the host's serial never matches attr_serial there (6.1's
# is one string for both).
if tcp_up > /tmp/tcp-up.log 2>&1; then
	if tcpdev=$(wait_ns_dev "subsysnqn=$TCP_NQN" 1 20); then
		pass backend-tcp-connect
		if nepf_up backend=bdev dev="$tcpdev" && dev=$(wait_ns_dev $SERIAL 1); then
			pass backend-tcp-up
			check backend-tcp-fio-verify fio_verify "$dev"
			check backend-tcp-data-lands data_lands_in "$dev" "$tcpdev"
		else
			fail backend-tcp-up
		fi
		nepf_down
	else
		fail backend-tcp-connect "no namespace 1 of $TCP_NQN after 20 s"
		grep -H . /sys/class/nvme/nvme*/{transport,subsysnqn,serial} 2>/dev/null | indent
	fi
else
	fail backend-tcp-connect "nvmet/nvme-tcp setup failed"
	indent < /tmp/tcp-up.log
fi
check backend-tcp-down tcp_down

nepf_exit
