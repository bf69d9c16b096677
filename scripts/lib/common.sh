# shellcheck shell=bash
# "a && b || c" where b cannot fail; settings that the other libraries use:
# shellcheck disable=SC2015,SC2034
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: settings from the environment, messages, input checks.
# Sourced by nvme-epf (scripts/nvme-epf in the source tree, /usr/sbin/nvme-epf
# installed), like every file of this directory; not run on its own.

CFS=${NVME_EPF_CONFIGFS:-/sys/kernel/config/nvme_epf}
EPC_CLASS=${NVME_EPF_EPC_CLASS:-/sys/class/pci_epc}
DMA_CLASS=${NVME_EPF_DMA_CLASS:-/sys/class/dma}
MODPARAMS=${NVME_EPF_MODPARAMS:-/sys/module/nvme_epf/parameters}
DEFAULT_CONFIG=${NVME_EPF_CONFIG:-/etc/nvme-epf/config.json}
FAKE=${NVME_EPF_FAKE:-0}
TRACEFS=${NVME_EPF_TRACEFS:-/sys/kernel/tracing}
DEBUGFS=${NVME_EPF_DEBUGFS:-/sys/kernel/debug}
SYSBLOCK=${NVME_EPF_SYSBLOCK:-/sys/class/block}
SYSTEMD_DIR=${NVME_EPF_SYSTEMD_DIR:-/etc/systemd/system}
TAB=$'\t'
# Any awk will do (Debian's alternatives link may be missing in a rescue
# shell or a minimal image).
AWK=$(command -v awk || command -v mawk || command -v gawk || command -v original-awk) ||
	AWK="busybox awk"

# Attributes the tool saves and restores, in the order they are written:
# what selects the meaning of the others first, "enable"/"start" last.  The
# module decides what they are: tests/pkg/module-attrs.sh compares these
# lists with its configfs types in src/, and save refuses a live tree whose
# objects list a setting missing here (a newer module) instead of losing it.
SUBSYS_ATTRS="attr_model attr_serial attr_firmware attr_ieee_oui attr_vendor_id
	attr_subsys_vendor_id attr_oncs attr_vwc pool_size pool_path"
NS_ATTRS="backend device_path size block_size readonly buffered_io device_nguid
	device_uuid enable"
FUNC_ATTRS="epc func_no subsystem vendor_id device_id subsys_vendor_id subsys_id
	class_code msix_vectors msi_vectors max_io_queues queue_depth mdts_kb buf_budget_kb
	dma sgl cmb poll_cpu start"
# Error injection rules (functions/<f>/inject/<rule>/); matched/fired are
# counters, not settings.
INJECT_ATTRS="queue opcode nsid lba_first lba_last every first percent action sct sc
	dnr more delay_us enable"
readonly CFS EPC_CLASS DMA_CLASS MODPARAMS DEFAULT_CONFIG FAKE TRACEFS DEBUGFS SYSBLOCK \
	SYSTEMD_DIR TAB AWK SUBSYS_ATTRS NS_ATTRS FUNC_ATTRS INJECT_ATTRS

die() { echo "$PROG: $*" >&2; exit 1; }
warn() { echo "$PROG: $*" >&2; }
usage_error() { echo "$PROG: $1" >&2; echo "Try '$PROG $2 --help'." >&2; exit 2; }

mount_fs() {	# mount_fs TYPE DIR: mount it unless it is there already
	[ -e "$2/$3" ] && return 0
	mount -t "$1" nodev "$2" 2>/dev/null && [ -e "$2/$3" ] ||
		die "cannot mount $1 on $2 (root? CONFIG_${1^^}?)"
}

# ---- input validation ------------------------------------------------------

# Names the tool creates (create --name, inject add): a conservative set.
# Its length is the module's to judge (limits below).
valid_name() { [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9_.:-]*$ ]]; }

# Names of existing objects: whatever configfs holds (mkdir takes any name
# without "/"), except what the tool cannot pass through a word list or the
# saved file (blanks and control characters).
obj_name() {
	[ -n "$1" ] && [ "$1" != . ] && [ "$1" != .. ] && [[ $1 != */* ]] &&
		! [[ $1 =~ [[:space:][:cntrl:]] ]]
}

is_num() { [[ $1 =~ ^[0-9]{1,10}$ ]]; }

# Integer in [min, max] (decimal).
valid_int() { [[ $1 =~ ^[0-9]{1,10}$ ]] && [ "$((10#$1))" -ge "$2" ] && [ "$((10#$1))" -le "$3" ]; }

# "1G", "512M", "4096", "2TiB" -> bytes (binary units); fails on anything else.
parse_size() {
	local s=$1 n u
	[[ $s =~ ^([0-9]{1,15})([KkMmGgTt]?)(i?B)?$ ]] || return 1
	n=$((10#${BASH_REMATCH[1]})) u=${BASH_REMATCH[2]}
	case $u in
	[Kk]) u=10 ;; [Mm]) u=20 ;; [Gg]) u=30 ;; [Tt]) u=40 ;; *) u=0 ;;
	esac
	# The kernel takes a u64, bash computes in signed 64 bits: refuse what
	# would wrap instead of passing on a wrong size.
	[ "$n" -le $(( 0x7fffffffffffffff >> u )) ] || return 1
	n=$((n << u))
	[ "$n" -gt 0 ] && [ $((n % 4096)) -eq 0 ] || return 1
	echo "$n"
}

# Printable ASCII without leading/trailing blanks, at most $2 bytes (NVMe
# identify strings are space-padded ASCII fields).
valid_ascii() {
	[[ $1 =~ ^[!-~]([ -~]*[!-~])?$ ]] && [ "${#1}" -le "$2" ]
}
