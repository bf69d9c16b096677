# SPDX-License-Identifier: GPL-2.0
# Guest kernels built from Debian's linux-source (sourced by kbuild.sh after
# ktree.sh; uses the T_* variables set by nepf_target).
#
# Debian's arm64 5.10 and 6.1 kernels have CONFIG_PCI_ENDPOINT off, so the
# VM tier cannot boot them.  A "guest" target builds an arm64 Image and the
# modules the guest loads from linux-source-X.Y, with Debian's config of that
# kernel (from its linux-headers package) as reference: allnoconfig plus
# tests/vm/oldkern/guest.config (what the guest needs, at Debian's values,
# and the endpoint options).  The target directory holds:
#   debian.config   Debian's config of that kernel (what the options in
#             guest.config were taken from)
#   obj/      the O= build tree: KDIR for vepc.ko, nvme_epf.ko, ...
#   guest/    vmlinuz (the Image), config, release, lib/modules/<release>/,
#             the layout tests/vm/kernel.sh gives for a Debian kernel
#   key       what the build depends on (see nepf_kguest_key)
#   build-seconds   the measured wall time of the build
#   build-time      wall, user CPU and system CPU seconds of the compile
#             (make Image modules) alone, and the load average before it
# The unpacked source is shared: $NEPF_CACHE/kernels/src/linux-source-X.Y_<ver>/.

nepf_kguest_files() {
	echo "$NEPF_TOP/tests/vm/oldkern/guest.config $NEPF_TOP/tests/infra/kguest.sh"
	ls "$NEPF_TOP"/tests/vm/oldkern/guest-*.config 2>/dev/null
}

# guest.config with the lines of guest-SERIES.config (if any) in place of
# the same options': an option an older kernel or its compiler cannot have
# (each such line says why in that file).
kguest_effective_config() {	# SERIES OUT
	local over=$NEPF_TOP/tests/vm/oldkern/guest-$1.config line opt
	local -A replaced=()
	if [ -e "$over" ]; then
		while IFS= read -r line; do
			opt=$(kguest_line_option "$line") && replaced[$opt]=1
		done < "$over"
	fi
	while IFS= read -r line; do
		opt=$(kguest_line_option "$line") && [ -n "${replaced[$opt]:-}" ] && continue
		printf '%s\n' "$line"
	done < "$NEPF_TOP/tests/vm/oldkern/guest.config" > "$2"
	[ -e "$over" ] && grep -E '^(CONFIG_|# CONFIG_)' "$over" >> "$2"
	return 0
}

kguest_line_option() {	# LINE -> CONFIG_X, or 1 for a comment
	case $1 in
	CONFIG_*=*) echo "${1%%=*}" ;;
	"# CONFIG_"*" is not set") local o=${1#\# }; echo "${o%% *}" ;;
	*) return 1 ;;
	esac
}

# The Debian kernel (ABI) the config comes from, the source package version
# of that kernel, and the build recipe: a change to any of them is another key.
nepf_kguest_versions() {	# prints "ABI VERSION"
	local abi ver
	abi=$(nepf_kernel_abi "$T_SUITE" "$T_FLAVOUR")
	[ -n "$abi" ] || nepf_die "no $T_FLAVOUR kernel in $T_SUITE"
	ver=$(nepf_apt_cache "$T_SUITE" show "linux-headers-$abi:arm64" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n 1)
	[ -n "$ver" ] || nepf_die "no version for linux-headers-$abi in $T_SUITE"
	echo "$abi $ver"
}

nepf_kguest_key() {
	local versions; versions=$(nepf_kguest_versions) || return 1
	# shellcheck disable=SC2046
	{ echo "$1 $versions"; cat $(nepf_kguest_files); } | sha256sum | cut -c1-16
}

# Unpack linux-source-X.Y=VER once (shared by every key of that version).
# rm -rf, only of a path inside $NEPF_CACHE/kernels/ (every tree this file
# makes lives there): an empty or stray variable must never reach rm.
kguest_rm() {
	local p
	for p in "$@"; do
		case $p in
		"$NEPF_CACHE"/kernels/?*) [ -n "$NEPF_CACHE" ] && [ "$NEPF_CACHE" != / ] ||
			nepf_die "refusing to remove $p: NEPF_CACHE is '$NEPF_CACHE'" ;;
		*) nepf_die "refusing to remove $p: not under $NEPF_CACHE/kernels/" ;;
		esac
		rm -rf -- "$p"
	done
}

nepf_kguest_source() {	# SERIES VER -> prints the source directory
	local series=$1 ver=$2 pkg=linux-source-$1 src tmp
	src=$NEPF_CACHE/kernels/src/${pkg}_$ver
	if [ ! -e "$src/.complete" ]; then
		tmp=$src.tmp
		kguest_rm "$tmp"
		mkdir -p "$tmp/deb"
		nepf_log "fetching $pkg=$ver ($T_SUITE)"
		(cd "$tmp/deb" && nepf_apt "$T_SUITE" download -q "$pkg=$ver" >&2) ||
			nepf_die "$pkg=$ver is not downloadable from $T_SUITE"
		nepf_log "unpacking $pkg=$ver"
		dpkg-deb --fsys-tarfile "$tmp"/deb/"$pkg"_*.deb |
			tar -xOf - "./usr/src/$pkg.tar.xz" |
			tar -C "$tmp" --strip-components=1 -xJf - ||
			nepf_die "could not unpack $pkg"
		kguest_rm "$tmp/deb"
		touch "$tmp/.complete"
		kguest_rm "$src"
		mv "$tmp" "$src"
	fi
	echo "$src"
}

# Every option guest.config asks for must be in CONFIG at that value, and
# every "# CONFIG_X is not set" must be unset: allnoconfig silently drops
# an option whose dependencies are off, and the guest would boot without
# it (a test failing for a reason far from its cause).  Prints what is
# wrong; returns 1 then.
kguest_check_config() {	# GUEST_CONFIG CONFIG
	local want=$1 have=$2 line opt bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$have" && continue
			opt=${line%%=*}
			echo "  wanted $line, got: $(grep -E "^(# )?${opt}[= ]" "$have" || echo "(absent: its dependencies are off, or this kernel has no such option)")"
			bad=1 ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }; opt=${opt%% *}
			grep -q "^$opt=" "$have" || continue
			echo "  wanted $opt off, got: $(grep "^$opt=" "$have")"
			bad=1 ;;
		esac
	done < "$want"
	return $bad
}

nepf_kguest_prepare() {
	local target=$1 dir=$2 key=$3 tmp=$2.tmp abi ver series src n rel start secs
	read -r abi ver <<< "$(nepf_kguest_versions)"
	series=$(echo "$abi" | cut -d. -f1,2)
	kguest_rm "$tmp"
	mkdir -p "$tmp/debs" "$tmp/obj" "$tmp/guest"
	nepf_log "building the $target guest kernel (linux-source-$series $ver, config of $abi)"
	start=$(date +%s)
	src=$(nepf_kguest_source "$series" "$ver") || return 1
	# Debian's config of exactly that kernel.
	nepf_ktree_fetch_headers "$T_SUITE" "linux-headers-$abi:arm64" "$tmp/debs"
	dpkg-deb -x "$tmp"/debs/linux-headers-"$abi"_*.deb "$tmp/debs/hdr"
	cp "$tmp/debs/hdr/usr/src/linux-headers-$abi/.config" "$tmp/obj/.config"
	kguest_rm "$tmp/debs"
	n=$(nepf_config_gcc "$tmp/obj/.config")
	[ -n "$n" ] || nepf_die "cannot tell which gcc $abi wants"
	nepf_ktree_toolchain "$tmp" "$n"
	local conf=$tmp/guest.config
	kguest_effective_config "$series" "$conf"
	# allnoconfig + the guest's options; Debian's config only tells the
	# compiler (above) and is kept next to ours for comparison.
	mv "$tmp/obj/.config" "$tmp/debian.config"
	local mk="make -s O=$tmp/obj ARCH=$T_ARCH CROSS_COMPILE=$T_CROSS"
	local run=(nepf_root_run "$T_ROOT" "$tmp $src" /usr/bin/env
		PATH="$tmp/bin:/usr/sbin:/usr/bin:/sbin:/bin" LC_ALL=C.UTF-8 /bin/sh -ec)
	if ! "${run[@]}" "cd '$src'; $mk KCONFIG_ALLCONFIG='$conf' allnoconfig" \
		> "$tmp/build.log" 2>&1; then
		tail -n 30 "$tmp/build.log" >&2
		nepf_log "configuring the $target guest kernel failed (log: $tmp/build.log)"
		return 1
	fi
	if ! kguest_check_config "$conf" "$tmp/obj/.config" >&2; then
		nepf_log "the $target guest kernel's config lacks what $conf asks for (above)"
		return 1
	fi
	local load TIMEFORMAT='%R %U %S'
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	if ! { time "${run[@]}" "cd '$src'
		nice -n 19 make -j${NEPF_JOBS:-2} O='$tmp/obj' ARCH=$T_ARCH CROSS_COMPILE=$T_CROSS \
			Image modules" >> "$tmp/build.log" 2>&1; } 2> "$tmp/build-time" ||
	   ! "${run[@]}" "cd '$src'
		$mk INSTALL_MOD_PATH='$tmp/guest' INSTALL_MOD_STRIP=1 DEPMOD=true modules_install
		$mk kernelrelease > '$tmp/guest/release'" >> "$tmp/build.log" 2>&1; then
		tail -n 30 "$tmp/build.log" >&2
		nepf_log "building the $target guest kernel failed (log: $tmp/build.log)"
		return 1
	fi
	echo "load-before $load" >> "$tmp/build-time"
	rel=$(cat "$tmp/guest/release")
	cp "$tmp/obj/arch/arm64/boot/Image" "$tmp/guest/vmlinuz"
	cp "$tmp/obj/.config" "$tmp/guest/config"
	# The config the image was built with, checked again.
	kguest_check_config "$conf" "$tmp/guest/config" >&2 ||
		nepf_die "the built $target kernel lacks what $conf asks for (above)"
	# modules_install puts them under lib/modules (usr/lib on newer kernels).
	[ -d "$tmp/guest/lib/modules/$rel" ] || nepf_die "no modules installed for $rel"
	rm -f "$tmp/guest/lib/modules/$rel/build" "$tmp/guest/lib/modules/$rel/source"
	depmod -b "$tmp/guest" "$rel" || nepf_die "depmod failed for $rel"
	# The object files are not needed to build external modules.
	find "$tmp/obj" -name '*.o' ! -path '*/scripts/*' -delete
	secs=$(($(date +%s) - start))
	echo "$secs" > "$tmp/build-seconds"
	echo "$tmp/obj" | sed "s|^$tmp/|$dir/|" > "$tmp/kdir"
	printf '%s\t%s\t%s\n' "$rel" "${T_CROSS}gcc-$n" guest > "$tmp/info"
	echo "$key" > "$tmp/key"
	touch "$tmp/.complete"
	kguest_rm "$dir"
	mv "$tmp" "$dir"
	nepf_log "built $target ($rel, gcc-$n, from $abi's config) in $secs s (compile: wall, user, system s: $(head -n 1 "$dir/build-time"))"
}

# Under the target's lock: another caller may have just built it.
nepf_kguest_ensure() {	# TARGET DIR KEY
	[ "$(cat "$2/key" 2>/dev/null)" = "$3" ] && [ -e "$2/.complete" ] && return 0
	nepf_kguest_prepare "$@"
}
