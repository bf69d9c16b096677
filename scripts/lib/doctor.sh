# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: doctor, which says in plain words what the kernel, the
# board or the installation lacks.

ok() { echo "[ ok ] $*"; }
note() { echo "[warn] $*"; }
# A failure also sets cmd_doctor's result (its local DOC_FAIL).
bad() { echo "[FAIL] $*"; DOC_FAIL=1; }

kernel_config() {
	local r=$1 f
	if [ -n "${NVME_EPF_KCONFIG:-}" ]; then
		cat -- "$NVME_EPF_KCONFIG"
		return
	fi
	if [ -r /proc/config.gz ]; then
		zcat /proc/config.gz
		return
	fi
	for f in "/boot/config-$r" "/lib/modules/$r/config" "/usr/lib/modules/$r/config" \
		 "/lib/modules/$r/build/.config"; do
		[ -r "$f" ] && { cat -- "$f"; return; }
	done
	return 1
}

# ELF e_machine of a file -> the `uname -m` name it runs on.
elf_machine() {
	local magic m
	magic=$(od -An -c -N4 -- "$1" 2>/dev/null | tr -d ' ')
	[ "$magic" = '177ELF' ] || return 1
	m=$(od -An -tu2 -j18 -N2 -- "$1" | tr -d ' ')
	case $m in
	62) echo x86_64 ;; 183) echo aarch64 ;; 40) echo armv7l ;; 243) echo riscv64 ;;
	3) echo i686 ;; 21) echo ppc64le ;; *) echo "machine-$m" ;;
	esac
}

same_machine() {
	[ "$1" = "$2" ] && return 0
	case $1:$2 in armv7l:arm*|arm*:armv7l|i686:i?86) return 0 ;; esac
	return 1
}

cmd_doctor() {
	local r mach cfg n kdir fx m v DOC_FAIL=0
	r=$(uname -r)
	mach=${NVME_EPF_MACHINE:-$(uname -m)}
	echo "nvme-epf doctor: kernel $r ($mach)"
	if cfg=$(kernel_config "$r"); then
		if grep -q '^CONFIG_PCI_ENDPOINT=y' <<< "$cfg"; then
			ok "the kernel has the PCI endpoint framework (CONFIG_PCI_ENDPOINT=y)"
		else
			bad "the kernel lacks CONFIG_PCI_ENDPOINT: no endpoint function can run on it; use a kernel built with PCI endpoint support (the board vendor's or your own)"
		fi
		if grep -Eq '^CONFIG_CONFIGFS_FS=(y|m)' <<< "$cfg"; then
			ok "configfs is available (CONFIG_CONFIGFS_FS)"
		else
			bad "the kernel lacks configfs (CONFIG_CONFIGFS_FS): nvme-epf is configured through it"
		fi
		grep -q '^CONFIG_DMA_ENGINE=y' <<< "$cfg" ||
			note "no DMA engine support (CONFIG_DMA_ENGINE): data moves by CPU copies, slower"
	else
		note "cannot find the kernel configuration (/proc/config.gz, /boot/config-$r): options not checked"
	fi
	if [ -z "${NVME_EPF_CONFIGFS:-}" ]; then
		if grep -qs ' /sys/kernel/config configfs ' /proc/mounts; then
			ok "configfs is mounted on /sys/kernel/config"
		else
			note "configfs is not mounted (nvme-epf mounts it when needed)"
		fi
	fi
	n=0
	for m in "$EPC_CLASS"/*; do [ -e "$m" ] && n=$((n + 1)); done
	if [ "$n" -gt 0 ]; then
		ok "$n endpoint controller(s): $(cd "$EPC_CLASS" && echo *)"
	else
		bad "no PCIe endpoint controller: the board's device tree must enable the controller in endpoint mode (e.g. its pcie-ep node) and its driver must be loaded (e.g. pcie-designware-ep, pcie-rockchip-ep, pcie-tegra194 in endpoint mode)"
	fi
	if [ -d /sys/module/nvme_epf ]; then
		ok "the nvme_epf module is loaded"
	elif v=$(modinfo -k "$r" -F version nvme_epf 2>/dev/null); then
		ok "the nvme_epf module is installed for $r (version ${v:-unknown})"
	else
		bad "no nvme_epf module for kernel $r"
		if command -v dkms >/dev/null; then
			v=$(dkms status nvme-epf 2>/dev/null)
			if [ -n "$v" ]; then
				echo "       dkms says: $v"
			else
				echo "       the nvme-epf-dkms package is not installed"
			fi
			echo "       'dkms autoinstall -k $r' builds it once the headers are usable"
		fi
	fi
	kdir=${NVME_EPF_KDIR:-/lib/modules/$r/build}
	if [ ! -e "$kdir/Makefile" ]; then
		note "no kernel headers for $r in $kdir: DKMS cannot build the module (install the headers package matching the kernel, e.g. linux-headers-$r)"
	else
		fx=$kdir/scripts/basic/fixdep
		if [ -e "$fx" ] && m=$(elf_machine "$fx") && ! same_machine "$m" "$mach"; then
			bad "the kernel headers in $kdir are broken for this machine: scripts/basic/fixdep is a $m program but this machine is $mach (a headers package built on a PC ships PC tools); rebuild the host tools on the board: 'make -C $kdir scripts' or use the distribution's headers package"
		else
			ok "kernel headers for $r are present and their tools run here"
		fi
	fi
	n=0
	for m in "$DMA_CLASS"/*; do [ -e "$m" ] && n=$((n + 1)); done
	if [ "$n" -gt 0 ]; then
		ok "$n DMA channel(s) in $DMA_CLASS: functions can move data by DMA (dma 1)"
	else
		note "no DMA channels: data moves by CPU copies through the outbound window (works, slower; set --dma off)"
		v=$(cat "$MODPARAMS/dma_engine" 2>/dev/null) || v=''
		case $v in
		auto|edma) ok "dma_engine=$v: functions drive the controller's own eDMA where they find it (experimental; 'nvme-epf status' says which engine each function uses)" ;;
		*) note "nvme_epf can drive a DesignWare controller's own eDMA instead: load it with dma_engine=auto (experimental, untested on boards: docs/edma.md)${v:+; now dma_engine=$v}" ;;
		esac
	fi
	return $DOC_FAIL
}
