# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shell library for the guest test scripts (bash), sourced as
#	. "$NEPF_LIB"        (or . /nepf/guest/lib.sh)
#
# A guest script prints one line per case, "PASS: name", "FAIL: name" or
# "SKIP: name (reason)", and may exit non-zero; /init runs the scripts in
# order and the host prefixes the names with the suite.
#
#   pass NAME / fail NAME [WHY] / skip NAME WHY
#   check NAME CMD...        PASS if CMD succeeds, else FAIL + its last output
#   nepf_up [key=value...]   bring up one function through configfs:
#       backend=nullb|null|bdev|file  (nullb: a null_blk device, memory backed,
#                                     served by the bdev backend; default)
#       size=512M   bs=512   dev=/dev/x (bdev, file)   ro=0   nsid=1
#       queues=4  qd=  msix=  msi=  dma=  mdts_kb=  buf_budget_kb=  epc=vepc.0
#       cmb=$NEPF_CMB  (the run's: run.sh NEPF_CMB=1 gives every function
#                      a CMB; 0 or empty: none, the module's default)
#       buffered_io=  (file backend: 1 = through the page cache)
#       model="nvme-epf test"  serial=NEPF0001  start=1
#   nepf_down                undo nepf_up (and remove the null_blk device)
#   wait_for_nvme [SECS]     wait (default 30 s) for /dev/nvme*n1, print it
#   nvme_ctrl_of DEV         /dev/nvme0n1 -> /dev/nvme0
#   wait_live CNAME          wait up to 30 s for /sys/class/nvme/CNAME/state
#                            "live" (else print the state and fail)
#   path_gone PATH           wait up to 10 s for PATH to disappear
#   up [key=value...]        nepf_up, then DEV=$(wait_for_nvme 30)
#   uptime_s / secs_since T0  guest uptime, seconds since it was T0
#   fio_verify NAME DEV [OPTS] / fio_ok NAME DEV [OPTS]   fio with crc32c
#                            verify (fio_ok: one case); fio_mismatches NAME:
#                            how many reads of that run returned wrong data;
#                            fio_errors NAME: its error lines, indented
#   dma_fault_fio NAME KNOB  fio_verify NAME on $DEV while vepc's debugfs
#                            KNOB (dma_fail, ...) fails 2 transfers, 5 times
#   dma_fault_case NAME KNOB COUNTER  dma_fault_fio as cases: NAME (fio
#                            clean), NAME-injected (vepc's COUNTER grew),
#                            NAME-error-log (Data Transfer Errors logged)
#   vepc_stat NAME           one of vepc's statistics
#   dma_fault_eio NAME KNOB  the same with the host's retries off: cases
#                            NAME (fio got an I/O error) and
#                            NAME-no-wrong-data
#   journal_start / journal_stop / journal_check   O_DSYNC journal on $DEV
#                            across a fault: acknowledged writes must survive
#   nepf_dump                configfs tree with values (endpoint view)
#   host_dump                lspci, nvme list, interrupts (host view)
#   host_sees VID:DID yes|no  wait up to 10 s until the host's PCI bus
#                            does (not) list it (sysfs, not lspci: below)
#   pci_dev_dirs VID:DID     /sys/bus/pci/devices/ entries with those ids
#   EINVAL ERANGE EBUSY ENOENT  strerror texts of refused configfs writes
#   dmesg_since_mark / dmesg_mark   kernel log lines since the last mark
#   intree_has MOD           the host built test-only in-tree module MOD
#                            (tests/intree: pci-ep-cfs, nvmet-pci-epf) for
#                            this guest; a script that needs them has the
#                            line "# nepf-vm: intree"
#   pci_ep_cfs_load [DRIVERS]  load pci-ep-cfs with controllers/ groups for
#                            every EPC (and functions/ groups for DRIVERS,
#                            comma separated; default: its own list)
#   intree_nvmet_up DEV [QUEUES]  nvmet-pci-epf serving DEV with QUEUES (4)
#                            I/O queues on vepc.0, set up as the kernel's
#                            Documentation/nvme/nvme-pci-endpoint-target.rst
#                            says (needs pci-ep-cfs loaded)
#   intree_nvmet_down        undo intree_nvmet_up, unload nvmet-pci-epf
#   nepf_tool                path of scripts/nvme-epf in the guest (fails if none)
#   fails_with TEXT CMD...   CMD fails and its output names TEXT (nvme-cli
#                            prints the status, e.g. "Invalid Field")
#   costs_fio DEV QD JOBS IOS [RW [BS]]  reset $NEPF_FN's cost ledger, then
#                            fio: IOS 4 KiB (BS) random reads (RW randread,
#                            the default) or writes (randwrite, or any fio
#                            rw=) per job, JOBS jobs at depth QD on DEV;
#                            prints fio's total I/Os (log:
#                            /tmp/costs-fio.json)
#   costs_as PREFIX          run 67-costs.sh (the cost ledger against its
#                            budget) on the engine of now, cases PREFIX-*
#   nepf_engine              the engine $NEPF_FN runs on now (from its stats):
#                            edma, dmaengine or window
#   VEPC_DMA                 the DMA vepc offers by default in this run (the
#                            harness setting, tests/vm/README.md): edma,
#                            dmaengine or none
#   vepc_args MODE           vepc's module arguments for MODE
#   vepc_mode                the MODE vepc is loaded with now
#   vepc_reload MODE [ARGS...]  reload vepc in MODE ("$VEPC_DMA": the run's)
#                            with more ARGS; no function may be bound
#   engine_of MODE           the engine nvme_epf (dma_engine=auto) picks on
#                            MODE: edma, dmaengine or window

# The DMA the harness's vepc offers, one setting for the whole run
# (run.sh passes it in from the host; /init writes vepc_modprobe_conf into
# /etc/modprobe.d, so every plain "modprobe vepc" loads that mode):
#   edma       an emulated DesignWare eDMA block (reg "dma") and no
#              dmaengine channel: what a Debian kernel (no DW_EDMA) on a
#              DesignWare board offers; nvme_epf drives the block itself
#   dmaengine  2 read and 2 write dmaengine channels (a kernel with DW_EDMA)
#   none       no DMA: outbound windows only
# nvme_epf is loaded with dma_engine=auto, so the mode alone decides its
# engine (engine_of).
VEPC_DMA=${VEPC_DMA:-edma}
vepc_args() {
	case $1 in
	edma) echo "edma=1" ;;
	dmaengine) echo "edma=0 dma_channels=2" ;;
	none) echo "edma=0 dma_channels=0" ;;
	*) echo "vepc_args: unknown mode '$1' (edma, dmaengine or none)" >&2; return 1 ;;
	esac
}
engine_of() {
	case $1 in
	edma) echo edma ;;
	dmaengine) echo dmaengine ;;
	none) echo window ;;
	esac
}
vepc_modprobe_conf() {
	echo "options vepc $(vepc_args "$VEPC_DMA")"
	echo "options nvme_epf dma_engine=auto"
}
vepc_mode() {
	local p=/sys/module/vepc/parameters
	if [ "$(cat "$p/edma" 2>/dev/null)" = Y ]; then
		echo edma
	elif [ "$(cat "$p/dma_channels" 2>/dev/null)" = 0 ]; then
		echo none
	else
		echo dmaengine
	fi
}
vepc_reload() {
	local mode=$1 args
	shift
	args=$(vepc_args "$mode") || return 1
	modprobe -r vepc || return 1
	# shellcheck disable=SC2086 # several arguments
	modprobe vepc $args "$@"
}

NEPF_CFS=${NEPF_CFS:-/sys/kernel/config/nvme_epf}
NEPF_SUB=${NEPF_SUB:-s0}
NEPF_FN=${NEPF_FN:-f0}
NEPF_NSID=${NEPF_NSID:-1}
NEPF_NULLB_DEV=""
NEPF_FAILS=0

pass() { echo "PASS: $1"; }
fail() {
	NEPF_FAILS=$((NEPF_FAILS + 1))
	echo "FAIL: $1${2:+ ($2)}"
}
skip() { echo "SKIP: $1 (${2:-skipped})"; }

# Indented so that nothing in a command's output reads as a result line.
indent() { sed 's/^/    | /'; }

check() {
	local name=$1 log=/tmp/check.$1.log
	shift
	if "$@" > "$log" 2>&1; then
		pass "$name"
		return 0
	fi
	fail "$name" "$*"
	tail -n 15 "$log" | indent
	return 1
}

# Exit status of a script: non-zero when any case failed.
nepf_exit() { [ "$NEPF_FAILS" -eq 0 ]; exit $?; }

# 512M, 1G, 4k or plain bytes -> bytes
to_bytes() {
	local v=$1
	case $v in
	*[kK]) echo $(( ${v%?} * 1024 )) ;;
	*[mM]) echo $(( ${v%?} * 1024 * 1024 )) ;;
	*[gG]) echo $(( ${v%?} * 1024 * 1024 * 1024 )) ;;
	*) echo "$v" ;;
	esac
}

# Write one configfs attribute; say which one failed.
nepf_set() {
	local file=$1 val=$2
	if ! echo "$val" > "$file" 2>/tmp/nepf_set.err; then
		echo "nepf: writing '$val' to $file failed: $(cat /tmp/nepf_set.err)" >&2
		return 1
	fi
}

# A marker line in the kernel log: a line count would shift when the ring
# buffer wraps.  Only for messages that are never rate-limited: a test must
# not depend on a printk_ratelimited() line (blk_print_req_error is one).
dmesg_mark() {
	NEPF_DMESG_MARK="nepf-mark-$$-$RANDOM$RANDOM"
	echo "$NEPF_DMESG_MARK" > /dev/kmsg
}
dmesg_since_mark() {
	dmesg | awk -v m="${NEPF_DMESG_MARK:-}" 'm == "" || seen { print } index($0, m) { seen = 1 }'
}

# A memory-backed null_blk device of SIZE bytes and block size BS, made
# through null_blk's configfs (module parameters only know whole GiB).
# Sets NEPF_NULLB_DEV (the /dev node).  NEPF_NULLB_OPTS: more attributes,
# "name=value ..." (e.g. "irqmode=2 completion_nsec=2000000": every
# command takes 2 ms).
NEPF_NULLB_ITEM=/sys/kernel/config/nullb/nepf0
nullb_create() {
	local size=$1 bs=$2 d=$NEPF_NULLB_ITEM i kv
	modprobe null_blk nr_devices=0 || return 1
	mkdir "$d" || return 1
	for kv in ${NEPF_NULLB_OPTS:-}; do
		nepf_set "$d/${kv%%=*}" "${kv#*=}" || return 1
	done
	nepf_set "$d/size" $(( size / 1024 / 1024 )) &&
	nepf_set "$d/blocksize" "$bs" &&
	nepf_set "$d/memory_backed" 1 &&
	nepf_set "$d/power" 1 || return 1
	# The disk is named after the configfs item on newer kernels,
	# nullb<index> on older ones.
	for ((i = 0; i < 50; i++)); do
		for NEPF_NULLB_DEV in /dev/nepf0 "/dev/nullb$(cat "$d/index")"; do
			[ -b "$NEPF_NULLB_DEV" ] && return 0
		done
		sleep 0.1
	done
	echo "nullb_create: no block device for $d" >&2
	return 1
}

nullb_remove() {
	[ -d "$NEPF_NULLB_ITEM" ] || return 0
	echo 0 > "$NEPF_NULLB_ITEM/power" 2>/dev/null
	rmdir "$NEPF_NULLB_ITEM" || return 1
	NEPF_NULLB_DEV=""
	modprobe -r null_blk 2>/dev/null
	return 0
}

nepf_up() {
	local backend=nullb size=512M bs=512 dev="" ro=0 nsid=$NEPF_NSID
	local queues=4 qd="" msix="" msi="" dma="" mdts_kb="" buf_budget_kb="" epc=vepc.0
	local buffered_io="" cmb=${NEPF_CMB:-}
	local model="nvme-epf test" serial=NEPF0001 start=1 kv
	for kv in "$@"; do
		case $kv in
		backend=*) backend=${kv#*=} ;;
		size=*) size=${kv#*=} ;;
		bs=*) bs=${kv#*=} ;;
		dev=*) dev=${kv#*=} ;;
		ro=*) ro=${kv#*=} ;;
		nsid=*) nsid=${kv#*=} ;;
		queues=*) queues=${kv#*=} ;;
		qd=*) qd=${kv#*=} ;;
		msix=*) msix=${kv#*=} ;;
		msi=*) msi=${kv#*=} ;;
		dma=*) dma=${kv#*=} ;;
		mdts_kb=*) mdts_kb=${kv#*=} ;;
		buf_budget_kb=*) buf_budget_kb=${kv#*=} ;;
		cmb=*) cmb=${kv#*=} ;;
		buffered_io=*) buffered_io=${kv#*=} ;;
		epc=*) epc=${kv#*=} ;;
		model=*) model=${kv#*=} ;;
		serial=*) serial=${kv#*=} ;;
		start=*) start=${kv#*=} ;;
		*) echo "nepf_up: unknown setting '$kv'" >&2; return 2 ;;
		esac
	done
	size=$(to_bytes "$size")
	NEPF_NSID=$nsid NEPF_MODEL=$model NEPF_SERIAL=$serial
	export NEPF_MODEL NEPF_SERIAL

	[ -d "$NEPF_CFS" ] || { echo "nepf_up: $NEPF_CFS missing (nvme_epf loaded?)" >&2; return 1; }
	if [ "$backend" = nullb ]; then
		nullb_create "$size" "$bs" || { echo "nepf_up: null_blk failed" >&2; return 1; }
		dev=$NEPF_NULLB_DEV backend=bdev
	fi

	local s=$NEPF_CFS/subsystems/$NEPF_SUB f=$NEPF_CFS/functions/$NEPF_FN
	local ns=$s/namespaces/$nsid
	mkdir -p "$s" &&
	nepf_set "$s/attr_model" "$model" &&
	nepf_set "$s/attr_serial" "$serial" &&
	mkdir -p "$ns" &&
	nepf_set "$ns/backend" "$backend" || return 1
	case $backend in
	null)	nepf_set "$ns/size" "$size" && nepf_set "$ns/block_size" "$bs" || return 1 ;;
	bdev|file) nepf_set "$ns/device_path" "$dev" || return 1 ;;
	esac
	[ "$ro" = 0 ] || nepf_set "$ns/readonly" "$ro" || return 1
	[ -z "$buffered_io" ] || nepf_set "$ns/buffered_io" "$buffered_io" || return 1
	nepf_set "$ns/enable" 1 || return 1

	mkdir -p "$f" &&
	nepf_set "$f/epc" "$epc" &&
	nepf_set "$f/subsystem" "$NEPF_SUB" &&
	nepf_set "$f/max_io_queues" "$queues" || return 1
	[ -z "$qd" ] || nepf_set "$f/queue_depth" "$qd" || return 1
	[ -z "$msix" ] || nepf_set "$f/msix_vectors" "$msix" || return 1
	[ -z "$msi" ] || nepf_set "$f/msi_vectors" "$msi" || return 1
	[ -z "$dma" ] || nepf_set "$f/dma" "$dma" || return 1
	[ -z "$mdts_kb" ] || nepf_set "$f/mdts_kb" "$mdts_kb" || return 1
	[ -z "$buf_budget_kb" ] || nepf_set "$f/buf_budget_kb" "$buf_budget_kb" || return 1
	[ -z "$cmb" ] || nepf_set "$f/cmb" "$cmb" || return 1
	[ "$start" = 0 ] || nepf_set "$f/start" 1
}

# CMD fails and says TEXT (case-insensitive grep pattern): nvme-cli exits
# non-zero and names the status the controller returned.
fails_with() {
	local want=$1 out
	shift
	out=$("$@" 2>&1) && { echo "succeeded: $out"; return 1; }
	echo "$out"
	grep -qi "$want" <<< "$out"
}

# Best effort: tear down whatever nepf_up created, in reverse order.
wait_live() {
	local i
	for ((i = 0; i < 300; i++)); do
		[ "$(cat "/sys/class/nvme/$1/state" 2>/dev/null)" = live ] && return 0
		sleep 0.1
	done
	echo "state: $(cat "/sys/class/nvme/$1/state" 2>/dev/null)"
	return 1
}

path_gone() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -e "$1" ] || return 0
		sleep 0.1
	done
	return 1
}

nepf_down() {
	local s=$NEPF_CFS/subsystems/$NEPF_SUB f=$NEPF_CFS/functions/$NEPF_FN ns
	if [ -d "$f" ]; then
		echo 0 > "$f/start" 2>/dev/null
		rmdir "$f" || return 1
	fi
	if [ -d "$s" ]; then
		for ns in "$s"/namespaces/*/; do
			[ -d "$ns" ] || continue
			echo 0 > "$ns/enable" 2>/dev/null
			rmdir "$ns" || return 1
		done
		rmdir "$s" || return 1
	fi
	nullb_remove
}

# Make block node $2 with the device number sysfs gives disk $1.
node_from_sysfs() {
	local d
	d=$(cat "/sys/class/block/$1/dev") || return 1
	mknod "$2" b "${d%:*}" "${d#*:}"
}

# A namespace the host has (sysfs) but without a right /dev node.  After a
# surprise removal and a quick re-probe, devtmpfs (this guest has no udev)
# can lose the new node to the old one's late deletion under the same name
# (seen on 6.12 in 66-linkloss: nvme0 live with nvme0n1 in sysfs, no
# /dev/nvme0n1 for 50 s).  Do what udev does on the "add" event: make the
# node from sysfs, and say so.  A node made here is not devtmpfs's, so it
# outlives the device: one that names another device number is remade.
nvme_node_repair() {
	local s n
	for s in /sys/class/block/nvme[0-9]*n[0-9]*; do
		n=${s##*/}
		case $n in *p[0-9]* | *c[0-9]*) continue ;; esac
		[ -r "$s/dev" ] || continue
		[ -e "/dev/$n" ] && [ "$(node_devno "/dev/$n")" = "$(cat "$s/dev")" ] && continue
		[ -e "/dev/$n" ] && { [ -b "/dev/$n" ] || [ -f "/dev/$n" ]; } && rm -f "/dev/$n"
		node_from_sysfs "$n" "/dev/$n" &&
			echo "wait_for_nvme: /dev/$n was missing or stale (host has it in sysfs); made it like udev" >&2
	done
}
# MAJOR:MINOR of a block node, as sysfs writes it.
node_devno() {
	[ -b "$1" ] && printf '%d:%d\n' "0x$(stat -c %t "$1")" "0x$(stat -c %T "$1")"
}
# A node that is a namespace the host has now: a block node with the device
# number sysfs gives that name, and it opens.  A bare [ -b ] also takes a
# node left over from before a link loss, and fio then fails to open it,
# so a link-loss cycle ran with no I/O at all.
nvme_node_live() {
	local n=${1#/dev/}
	[ -b "$1" ] && [ -r "/sys/class/block/$n/dev" ] &&
		[ "$(node_devno "$1")" = "$(cat "/sys/class/block/$n/dev")" ] &&
		blockdev --getsize64 "$1" > /dev/null 2>&1
}

wait_for_nvme() {
	local secs=${1:-30} i d
	for ((i = 0; i < secs * 10; i++)); do
		for d in /dev/nvme[0-9]*n1; do
			nvme_node_live "$d" && { echo "$d"; return 0; }
		done
		[ $i -ge 10 ] && nvme_node_repair
		# After a surprise removal, a process still holding the old disk
		# open can keep its name: the namespace then comes back under
		# another one.  Take it after 10 s without an ...n1 node.
		if [ $i -ge 100 ]; then
			for d in /dev/nvme[0-9]*n[0-9]*; do
				case $d in *p[0-9]*) continue ;; esac
				nvme_node_live "$d" || continue
				echo "wait_for_nvme: the namespace came back as $d" >&2
				echo "$d"
				return 0
			done
		fi
		sleep 0.1
	done
	echo "wait_for_nvme: no /dev/nvme*n* namespace after ${secs}s" >&2
	# A program that opened the node while the device was gone may have
	# created a regular file in its place: devtmpfs then cannot recreate it.
	for d in /dev/nvme[0-9]*n1; do
		[ -e "$d" ] && ls -l "$d" >&2
	done
	# What the host has: controllers, their state and namespaces.
	ls -l /dev/nvme* >&2 2>/dev/null
	for d in /sys/class/nvme/nvme*; do
		[ -e "$d" ] && echo "$d: state $(cat "$d/state" 2>/dev/null); $(cd "$d" && echo nvme*)" >&2
	done
	return 1
}

nvme_ctrl_of() { local d=${1%n[0-9]*}; echo "$d"; }


# nepf_up, then wait for the namespace (DEV); the host's view if it fails.
up() {
	nepf_up "$@" && DEV=$(wait_for_nvme 30) && return 0
	host_dump 2>&1 | indent
	return 1
}
# Seconds (one decimal) since the uptime T0 (from uptime_s).
uptime_s() { cut -d' ' -f1 /proc/uptime; }
secs_since() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }'; }

# fio_verify NAME DEV [fio options...]: random 16 KiB writes, crc32c
# verify with a backlog, 2 jobs (two CPUs, two queues); the report is
# /tmp/fio.NAME, fio's messages (I/O errors, verify mismatches) are
# /tmp/fio.NAME.err.  allow_file_create=0: while the device is gone, fio
# must not create a regular file in its place in /dev.
fio_verify() {
	local name=$1 dev=$2
	shift 2
	timeout 150 fio --name="$name" --filename="$dev" --rw=randwrite --bs=16k \
		--size=4M --offset_increment=8M --numjobs=2 --direct=1 \
		--ioengine=libaio --iodepth=8 --verify=crc32c --verify_backlog=32 \
		--verify_fatal=1 --allow_file_create=0 --group_reporting "$@" \
		--output="/tmp/fio.$name" 2> "/tmp/fio.$name.err"
}
fio_errors() {
	grep -hE 'err=|verify|error' "/tmp/fio.$1" "/tmp/fio.$1.err" |
		head -n 8 | indent
}
fio_ok() {
	if fio_verify "$@"; then
		pass "$1"
	else
		fail "$1" "fio"
		fio_errors "$1"
	fi
}
# dma_fault_fio NAME KNOB: fio_verify NAME (8 MiB per job) on $DEV while
# /sys/kernel/debug/vepc/KNOB is set to 1 ten times, 0.35 s apart: each
# time the next DMA transfer fails.  One at a time: SQEs come by DMA too,
# and a failed SQE read is retried at once (the host sees nothing), so a
# knob of 2 could be spent on one SQE read and its retry; with 5 x 2, one
# sid run (2026-12-07) left no Data Transfer Error in the error log.  At
# most about half the transfers are SQE reads: 10 singles all missing the
# data is about 1 in 1000.  The knob is 0 again afterwards; the status is
# fio's.
dma_fault_fio() {
	local name=$1 knob=/sys/kernel/debug/vepc/$2 i fw rc
	fio_verify "$name" "$DEV" --size=8M &
	fw=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.35
		echo 1 > "$knob"
	done
	wait "$fw"
	rc=$?
	echo 0 > "$knob"
	return $rc
}
# vepc_stat NAME: one of vepc's statistics (debugfs vepc/stats).
vepc_stat() { awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/debug/vepc/stats; }
# dma_fault_case NAME KNOB COUNTER: dma_fault_fio NAME KNOB ends clean
# (case NAME), vepc's COUNTER grew (NAME-injected), and the host's error
# log has Data Transfer Errors, status 0x004 (NAME-error-log).
dma_fault_case() {
	local name=$1 c0 c1
	c0=$(vepc_stat "$3")
	if dma_fault_fio "$name" "$2"; then
		pass "$name"
	else
		fail "$name" "fio"
		fio_errors "$name"
	fi
	c1=$(vepc_stat "$3")
	[ "$c1" -gt "$c0" ] && pass "$name-injected" ||
		fail "$name-injected" "$3 $c0 -> $c1"
	error_log "$DEV" | grep -q '"status_field":4[,}]' &&
		pass "$name-error-log" || fail "$name-error-log"
}
# dma_fault_eio NAME KNOB: dma_fault_fio with nvme_core's max_retries at 0,
# so that fio gets the Data Transfer Errors of the failed transfers
# itself.  A failed transfer must be an I/O error, never a success with
# whatever the buffer held: case NAME passes if fio ended with an I/O
# error, NAME-no-wrong-data if no read returned wrong data.
dma_fault_eio() {
	local name=$1 mr=/sys/module/nvme_core/parameters/max_retries r0 rc m
	if [ ! -w "$mr" ]; then
		skip "$name" "no $mr"
		return 0
	fi
	r0=$(cat "$mr")
	echo 0 > "$mr"
	dma_fault_fio "$name" "$2"
	rc=$?
	echo "$r0" > "$mr"
	m=$(fio_mismatches "$name")
	if [ "$m" = 0 ]; then
		pass "$name-no-wrong-data"
	else
		fail "$name-no-wrong-data" "$m reads returned wrong data"
	fi
	if [ "$rc" != 0 ] &&
	   grep -q 'Input/output error' "/tmp/fio.$name" "/tmp/fio.$name.err"; then
		pass "$name"
	else
		fail "$name" "fio exited $rc without an I/O error"
		fio_errors "$name"
	fi
}
# fio run NAME did not get to do I/O: it could not open the device (a node
# left from before a link loss) or took it for a file to lay out.
# Whether a fio process has $1 open (bash tests only: forks are slow
# under TCG).
fio_has_open() {
	local p f
	for p in $(pgrep -x fio); do
		for f in /proc/"$p"/fd/*; do
			[ "$f" -ef "$1" ] && return 0
		done
	done
	return 1
}
# Wait (up to 10 s) until fio has $1 open, or background job $2 has ended:
# under TCG fio can take seconds to open its file, and a fault injected
# before that tests nothing.
fio_wait_open() {
	local i
	for ((i = 0; i < 100; i++)); do
		fio_has_open "$1" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
fio_no_start() {
	grep -qE 'failed opening|file creation disallowed|Laying out IO file' \
		"/tmp/fio.$1" "/tmp/fio.$1.err" 2>/dev/null
}
# The host's view of $1 has $2-byte blocks and $3 bytes (after its rescan).
blocks_are() {
	local i ss sz
	for ((i = 0; i < 50; i++)); do
		ss=$(blockdev --getss "$1" 2>/dev/null) sz=$(blockdev --getsize64 "$1" 2>/dev/null)
		[ "$ss" = "$2" ] && [ "$sz" = "$3" ] && return 0
		sleep 0.2
	done
	echo "$1: ${ss:-?}-byte blocks, ${sz:-?} bytes; want $2, $3"
	return 1
}
# The first $2 bytes (whole MiBs) of $1 read as zeroes (direct I/O: no
# page cache from before a format).
is_zero() {
	dd if="$1" bs=1M count=$(($2 >> 20)) iflag=direct status=none |
		cmp -s -n "$2" - /dev/zero
}
# The block device of NSID $1 on controller $ctrl (the host numbers its
# disks in its own order, not by NSID), or nothing.
nsdev() {
	local d
	for d in /sys/block/"${ctrl#/dev/}"n*; do
		[ "$(cat "$d/nsid" 2>/dev/null)" = "$1" ] && [ -b "/dev/${d##*/}" ] &&
			{ echo "/dev/${d##*/}"; return 0; }
	done
}
# Wait (up to 10 s) until the host has NSID $1 (its disk: NSDEV), or with
# "gone", has not.
NSDEV=""
dev_wait() {
	local i
	for ((i = 0; i < 50; i++)); do
		NSDEV=$(nsdev "$1")
		if [ "${2:-}" = gone ]; then [ -z "$NSDEV" ] && return 0
		else [ -n "$NSDEV" ] && return 0; fi
		sleep 0.2
	done
	echo "nsid $1: ${2:-present} not reached (${NSDEV:-no disk})"
	return 1
}

# Raw replies, parsed by byte offset so that no nvme-cli version's wording
# matters.  Log LID of LEN bytes of controller $ctrl as decimal bytes in
# LOG[] (LOG[0] is byte 0).
get_log() {
	local raw
	raw=$(nvme get-log "$ctrl" --log-id="$1" --log-len="$2" --raw-binary |
		od -An -tu1 -v) || return 1
	read -r -d '' -a LOG <<< "$raw" || true
	[ "${#LOG[@]}" -eq "$2" ] || { echo "log $1: ${#LOG[@]} of $2 bytes"; return 1; }
}
# An admin command to $ctrl that returns LEN bytes (admin-passthru
# ARGS... --read), into LOG[] like get_log.  Some nvme-cli versions print
# their "... is Success" line on stdout ahead of the data: it is dropped.
passthru_read() {
	local len=$1 raw
	shift
	nvme admin-passthru "$ctrl" "$@" --data-len="$len" --read --raw-binary \
		> /tmp/passthru.bin 2> /tmp/passthru.err ||
		{ cat /tmp/passthru.err /tmp/passthru.bin; return 1; }
	if head -n 1 /tmp/passthru.bin | grep -aq 'is Success'; then
		tail -n +2 /tmp/passthru.bin > /tmp/passthru.data
	else
		cp /tmp/passthru.bin /tmp/passthru.data
	fi
	raw=$(od -An -tu1 -v /tmp/passthru.data)
	read -r -d '' -a LOG <<< "$raw" || true
	[ "${#LOG[@]}" -eq "$len" ] || { echo "passthru $*: ${#LOG[@]} of $len bytes"; return 1; }
}
le16() { echo $(( LOG[$1] | LOG[$1 + 1] << 8 )); }
le32() { echo $(( LOG[$1] | LOG[$1 + 1] << 8 | LOG[$1 + 2] << 16 | LOG[$1 + 3] << 24 )); }
le64() { echo $(( $(le32 "$1") | $(le32 $(($1 + 4))) << 32 )); }

# Reads that returned wrong data in fio run NAME (not I/O errors).
fio_mismatches() {
	grep -cE '^verify: |verify failed|bad (magic|header)' "/tmp/fio.$1.err" "/tmp/fio.$1" |
		awk -F: '{ s += $NF } END { print s + 0 }'
}

# A journal of 4 KiB writes across a fault: block i of /tmp/jpat written at
# block JBASE + i of $DEV with O_DIRECT|O_DSYNC, i recorded in /tmp/journal
# only after the write was acknowledged; it runs while /tmp/jrun exists.
# nocreat: while the device is gone, dd must not create a regular file in
# its place.  journal_check then reads every acknowledged block back.
JBASE=8192
journal_start() {
	[ -f /tmp/jpat ] || head -c $((2048 * 4096)) /dev/urandom > /tmp/jpat
	: > /tmp/journal
	touch /tmp/jrun
	journal_writer &
	NEPF_JOURNAL_PID=$!
}
journal_stop() {
	rm -f /tmp/jrun
	wait "$NEPF_JOURNAL_PID"
}
journal_writer() {
	local i=0
	while [ -e /tmp/jrun ] && [ $i -lt 2048 ]; do
		dd if=/tmp/jpat of="$DEV" bs=4k skip=$i seek=$((JBASE + i)) count=1 \
			oflag=direct,dsync conv=notrunc,nocreat status=none 2>/dev/null &&
			echo $i >> /tmp/journal
		i=$((i + 1))
	done
}
journal_check() {
	local i bad=0 n=0
	dd if="$DEV" of=/tmp/jback bs=4k skip=$JBASE count=2048 iflag=direct \
		status=none || return 1
	while read -r i; do
		n=$((n + 1))
		# (busybox cmp: no -i; compare extracted blocks)
		dd if=/tmp/jpat of=/tmp/jwant bs=4k skip="$i" count=1 status=none
		dd if=/tmp/jback of=/tmp/jgot bs=4k skip="$i" count=1 status=none
		cmp -s /tmp/jwant /tmp/jgot ||
			{ bad=$((bad + 1)); echo "block $i differs"; }
	done < /tmp/journal
	echo "$n acknowledged journal writes, $bad differ"
	[ "$n" -gt 0 ] && [ "$bad" = 0 ]
}
# The host's error log / SMART media error count of the controller of $1
# (a namespace node), one line of JSON without blanks: exact, not
# rate-limited like the kernel's I/O error lines.
error_log() { nvme error-log "$(nvme_ctrl_of "$1")" -e 16 -o json | tr -d ' \t\n'; }
media_errors() {
	nvme smart-log "$(nvme_ctrl_of "$1")" -o json | tr -d ' \t\n' |
		grep -o '"media_errors":[0-9]*' | cut -d: -f2
}

# The endpoint's view: every configfs attribute with its value.
nepf_dump() {
	local a
	[ -d "$NEPF_CFS" ] || { echo "(no $NEPF_CFS)"; return; }
	find "$NEPF_CFS" | sort | while read -r a; do
		if [ -f "$a" ] && [ -r "$a" ]; then
			printf '%s = %s\n' "${a#"$NEPF_CFS"/}" "$(head -c 200 "$a" 2>/dev/null | tr '\n' ' ')"
		elif [ -d "$a" ]; then
			printf '%s/\n' "${a#"$NEPF_CFS"}"
		fi
	done
}

# What a failed write to configfs prints (strerror), for expected refusals.
# shellcheck disable=SC2034 # used by the scripts that source this file
{
	EINVAL="Invalid argument"
	ERANGE="Numerical result out of range"
	EBUSY="Device or resource busy"
	ENOENT="No such file or directory"
}

# host_sees VENDOR:DEVICE yes|no: wait up to 10 s for the host's view.
# From sysfs rather than lspci: on 5.10 with a DT platform (QEMU virt's
# pcie node has linux,pci-domain), vepc's host bridge, which has no DT node,
# gets domain -1 ("Inconsistent linux,pci-domain property in DT"), its
# devices are ffffffff:00:00.0, and lspci refuses the whole scan ("sysfs_scan:
# Invalid domain ffffffff") and lists nothing.
pci_dev_dirs() {
	local id=${1,,} d
	local vid=0x${id%%:*} did=0x${id##*:}
	for d in /sys/bus/pci/devices/*; do
		[ -f "$d/vendor" ] || continue
		[ "$(cat "$d/vendor")" = "$vid" ] && [ "$(cat "$d/device")" = "$did" ] &&
			echo "$d"
	done
	return 0
}

host_sees() {
	local id=$1 want=$2 now i
	for ((i = 0; i < 100; i++)); do
		now=no
		[ -z "$(pci_dev_dirs "$id")" ] || now=yes
		[ "$now" = "$want" ] && return 0
		sleep 0.1
	done
	lspci -nn
	ls -l /sys/bus/pci/devices/
	return 1
}

# The host's view of the device.
host_dump() {
	echo "--- lspci -nn"; lspci -nn
	echo "--- /sys/bus/pci/devices"; ls /sys/bus/pci/devices/
	echo "--- nvme list"; nvme list
	echo "--- /proc/interrupts (nvme)"; grep -E 'nvme|CPU' /proc/interrupts
}

intree_has() {
	case " ${NEPF_INTREE:-} " in *" $1 "*) return 0 ;; esac
	return 1
}

pci_ep_cfs_load() {
	local epcs
	epcs=$(ls /sys/class/pci_epc | paste -sd, -)
	modprobe pci-ep-cfs controllers="$epcs" ${1:+functions="$1"}
}

INTREE_NQN=nvmepf.0.nqn
INTREE_NVMET=/sys/kernel/config/nvmet
INTREE_EPC=/sys/kernel/config/pci_ep/controllers/vepc.0
INTREE_FN=/sys/kernel/config/pci_ep/functions/nvmet_pci_epf/nvmepf.0
intree_nvmet_up() {
	local dev=$1 queues=${2:-4} sub=$INTREE_NVMET/subsystems/$INTREE_NQN
	local port=$INTREE_NVMET/ports/1 fn=$INTREE_FN
	modprobe nvmet && modprobe nvmet-pci-epf || return 1
	mkdir "$sub" &&
	echo -n "Linux-pci-epf" > "$sub/attr_model" &&
	echo 0x1b96 > "$sub/attr_vendor_id" &&
	echo 0x1b96 > "$sub/attr_subsys_vendor_id" &&
	echo 1 > "$sub/attr_allow_any_host" &&
	echo "$queues" > "$sub/attr_qid_max" &&
	mkdir "$sub/namespaces/1" &&
	echo -n "$dev" > "$sub/namespaces/1/device_path" &&
	echo 1 > "$sub/namespaces/1/enable" &&
	mkdir "$port" &&
	echo -n pci > "$port/addr_trtype" &&
	ln -s "$sub" "$port/subsystems/$INTREE_NQN" || return 1
	mkdir "$fn" &&
	echo 0xBEEF > "$fn/deviceid" &&
	echo 32 > "$fn/msix_interrupts" &&
	echo 1 > "$fn/nvme/portid" &&
	echo "$INTREE_NQN" > "$fn/nvme/subsysnqn" &&
	ln -s "$fn" "$INTREE_EPC/" &&
	echo 1 > "$INTREE_EPC/start"
}

intree_nvmet_down() {
	local sub=$INTREE_NVMET/subsystems/$INTREE_NQN port=$INTREE_NVMET/ports/1 rc=0
	if [ "$(cat "$INTREE_EPC/start" 2>/dev/null)" = 1 ]; then
		echo 0 > "$INTREE_EPC/start" || { echo "stop failed"; rc=1; }
	fi
	rm -f "$INTREE_EPC/${INTREE_FN##*/}" || { echo "unlink failed"; rc=1; }
	[ ! -d "$INTREE_FN" ] || rmdir "$INTREE_FN" || { echo "rmdir function failed"; rc=1; }
	rm -f "$port/subsystems/$INTREE_NQN" || { echo "port unlink failed"; rc=1; }
	[ ! -d "$port" ] || rmdir "$port" || { echo "rmdir port failed"; rc=1; }
	if [ -d "$sub/namespaces/1" ]; then
		echo 0 > "$sub/namespaces/1/enable"
		rmdir "$sub/namespaces/1" || { echo "rmdir namespace failed"; rc=1; }
	fi
	[ ! -d "$sub" ] || rmdir "$sub" || { echo "rmdir subsystem failed"; rc=1; }
	# nvmet drops its last controller reference from a workqueue after
	# the port is gone (later still when the host's reset work is still
	# running): give it time before calling it a leak.  nvmet itself goes
	# too unless another transport (a test's nvmet-tcp) holds it.
	local i
	for ((i = 0; i < 60; i++)); do
		[ ! -d /sys/module/nvmet_pci_epf ] || modprobe -r nvmet-pci-epf 2>/dev/null
		if [ ! -d /sys/module/nvmet_pci_epf ]; then
			[ -d /sys/module/nvmet ] || return $rc
			[ -z "$(ls /sys/module/nvmet/holders)" ] || return $rc
			modprobe -r nvmet 2>/dev/null && return $rc
		fi
		sleep 1
	done
	echo "nvmet-pci-epf/nvmet still in use after 60 s:"
	grep -E '^nvmet' /proc/modules
	ls /sys/module/nvmet/holders 2>/dev/null
	dmesg | grep -iE 'nvme|nvmet|pci_epf|epf' | tail -n 8
	return 1
}

nepf_tool() {
	local t
	for t in "${NEPF_TOOL:-}" /nepf/scripts/nvme-epf /usr/sbin/nvme-epf; do
		[ -n "$t" ] && [ -f "$t" ] && { echo "$t"; return 0; }
	done
	return 1
}

nepf_engine() {
	sed -n 's/^# dma engine \([a-z]*\).*/\1/p' "/sys/kernel/debug/nvme_epf/$NEPF_FN/stats"
}

# 67-costs.sh on the engine of now, as cases PREFIX-* (its failures count).
costs_as() {
	COSTS_PREFIX=$1 bash "$(dirname "$NEPF_LIB")/67-costs.sh" ||
		NEPF_FAILS=$((NEPF_FAILS + 1))
}

costs_fio() {
	local dev=$1 qd=$2 jobs=$3 ios=$4 rw=${5:-randread} bs=${6:-4k} tool
	tool=$(nepf_tool) || { echo "costs_fio: no nvme-epf tool" >&2; return 1; }
	bash "$tool" stats --costs --reset "$NEPF_FN" || return 1
	fio --name=costs --filename="$dev" --ioengine=libaio --direct=1 \
		--rw="$rw" --bs="$bs" --iodepth="$qd" --numjobs="$jobs" \
		--number_ios="$ios" --group_reporting --output-format=json \
		> /tmp/costs-fio.json 2>&1 || { cat /tmp/costs-fio.json >&2; return 1; }
	# total_ios of the (single, grouped) job: its reads' come first, then
	# its writes'; the one that is not 0 is the workload's.
	awk -F: '/"total_ios"/ { gsub(/[ ,]/, "", $2); if ($2 + 0) { print $2; n = 1; exit } }
		END { if (!n) print 0 }' /tmp/costs-fio.json
}
