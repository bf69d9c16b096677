# SPDX-License-Identifier: GPL-2.0
# Preparing one kernel tree for kbuild.sh (sourced; uses the T_* variables
# set by nepf_target).  Everything happens in DIR.tmp, which is renamed to
# DIR only when complete, so an interrupted run never looks prepared.

nepf_debarch() {
	case $1 in armmp*) echo armhf ;; amd64) echo amd64 ;; *) echo arm64 ;; esac
}

# Download a package and the -common/-kbuild packages its headers need.
nepf_ktree_fetch_headers() {
	local suite=$1 pkg=$2 into=$3 deps
	deps=$(nepf_apt_cache "$suite" show "$pkg" 2>/dev/null | sed -n 's/^Depends: //p' |
		head -n 1 | tr ',' '\n' | sed 's/^ *//;s/ .*//' |
		grep -E '^linux-(headers-.*-common|kbuild-)' || true)
	(cd "$into" && nepf_apt "$suite" download -q "$pkg" $(printf '%s:amd64\n' $deps |
		sed 's/-common:amd64$/-common/') >&2)
}

# The gcc major version the kernel was configured with (CONFIG_CC_VERSION_TEXT).
nepf_config_gcc() {
	sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*-\)\{0,1\}gcc-\([0-9]*\) .*/\2/p' "$1"
}

# Toolchain link farm: the unversioned compiler name the kernel Makefile
# calls, pointing at the exact gcc version the kernel wants.
nepf_ktree_toolchain() {
	local tmp=$1 n=$2 pkg
	mkdir -p "$tmp/bin"
	ln -sf "/usr/bin/${T_CROSS}gcc-$n" "$tmp/bin/${T_CROSS}gcc"
	if [ -n "$T_CROSS" ]; then
		pkg=gcc-$n-${T_CROSS%-}
	else
		pkg=gcc-$n
	fi
	echo "$pkg" > "$tmp/root-packages"
	nepf_root_install "$T_ROOT" "$pkg"
}

nepf_ktree_prepare() {
	local target=$1 dir=$2 tmp=$2.tmp abi debarch kdir n
	rm -rf "$tmp"
	mkdir -p "$tmp/debs"
	nepf_log "preparing kernel tree $target"
	# Concurrent updates of the same private apt lists collide.
	nepf_locked "apt-$T_SUITE" nepf_apt_update "$T_SUITE"
	abi=$(nepf_kernel_abi "$T_SUITE" "$T_FLAVOUR")
	[ -n "$abi" ] || nepf_die "no $T_FLAVOUR kernel headers in $T_SUITE"
	debarch=$(nepf_debarch "$T_FLAVOUR")
	nepf_ktree_fetch_headers "$T_SUITE" "linux-headers-$abi:$debarch" "$tmp/debs"
	case $T_KIND in
	headers|stock)
		local f
		for f in "$tmp"/debs/*.deb; do dpkg-deb -x "$f" "$tmp"; done
		kdir=$dir/usr/src/linux-headers-$abi
		# The headers' Makefile includes the -common tree by absolute path.
		sed -i "s|/usr/src/|$dir/usr/src/|g" "$tmp/usr/src/linux-headers-$abi/Makefile"
		n=$(nepf_config_gcc "$tmp/usr/src/linux-headers-$abi/.config")
		;;
	source)
		# 5.10.0-32 -> 5.10, 6.12.107+deb13 -> 6.12
		local ver hdr=$tmp/debs/hdr
		ver=$(echo "$abi" | cut -d. -f1,2)
		(cd "$tmp/debs" && nepf_apt "$T_SUITE" download -q "linux-source-$ver" >&2)
		dpkg-deb -x "$tmp"/debs/linux-headers-"$abi"_*.deb "$hdr"
		nepf_log "unpacking linux-source-$ver"
		dpkg-deb --fsys-tarfile "$tmp"/debs/linux-source-"$ver"_*.deb |
			tar -xOf - "./usr/src/linux-source-$ver.tar.xz" | tar -C "$tmp" -xJf -
		kdir=$dir/linux-source-$ver
		cp "$hdr/usr/src/linux-headers-$abi/.config" "$tmp/linux-source-$ver/.config"
		n=$(nepf_config_gcc "$tmp/linux-source-$ver/.config")
		;;
	esac
	[ -n "$n" ] || nepf_die "cannot tell which gcc $target wants"
	nepf_ktree_toolchain "$tmp" "$n"
	if [ "$T_KIND" = source ]; then
		nepf_ktree_configure "$tmp/linux-source-$ver" "$tmp" || {
			nepf_log "configuring $target failed"; return 1; }
	fi
	rm -rf "$tmp/debs"
	echo "$kdir" > "$tmp/kdir"
	printf '%s\t%s\t%s\n' "$abi" "${T_CROSS}gcc-$n" "$T_KIND" > "$tmp/info"
	touch "$tmp/.complete"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	nepf_log "prepared $target ($abi, gcc-$n)"
}

# Debian's config plus what a PCI endpoint function needs, then
# modules_prepare with the suite's own compiler.
nepf_ktree_configure() {
	local src=$1 tmp=$2
	nepf_root_run "$T_ROOT" "$tmp" /usr/bin/env \
		PATH="$tmp/bin:/usr/sbin:/usr/bin:/sbin:/bin" LC_ALL=C.UTF-8 \
		/bin/sh -ec "cd '$src'
		scripts/config -e PCI_ENDPOINT -e PCI_ENDPOINT_CONFIGFS -e DMA_ENGINE \
			-d DEBUG_INFO_BTF --set-str SYSTEM_TRUSTED_KEYS '' \
			--set-str SYSTEM_REVOCATION_KEYS '' --set-str MODULE_SIG_KEY certs/signing_key.pem
		make ARCH=$T_ARCH CROSS_COMPILE=$T_CROSS olddefconfig >/dev/null
		grep -q '^CONFIG_PCI_ENDPOINT_CONFIGFS=y' .config
		nice make -j${NEPF_JOBS:-2} ARCH=$T_ARCH CROSS_COMPILE=$T_CROSS modules_prepare" >&2
}
