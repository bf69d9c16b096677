#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the cached base initramfs of the test guest for a suite.
#
#   tests/vm/rootfs.sh SUITE KERNEL_DIR     prints the base directory
#
# KERNEL_DIR comes from tests/vm/kernel.sh.  The base directory holds
# base.cpio (Debian arm64 userland + the stock modules the tests use,
# decompressed) and modules/ (the same modules tree, for the per-run depmod).
# No arm64 chroot is possible here (no binfmt_misc), so the package closure
# is resolved by a private apt state and unpacked with dpkg-deb; only the
# requested packages are copied whole, libraries only as their ELF NEEDED
# entries ask.
#
# Environment:
#   GUEST_PACKAGES  extra Debian packages to copy whole into the guest
#   VM_MODULES      extra stock kernel modules (names as in modules.dep)
set -eu
. "$(dirname "$0")/../infra/common.sh"

suite=${1:?usage: rootfs.sh SUITE KERNEL_DIR}
kernel=${2:?usage: rootfs.sh SUITE KERNEL_DIR}
abi=$(cat "$kernel/release")
# The kernels built from source (6.1, 5.10) get trixie's userland: the
# kernel and its stock nvme host driver are under test, and the guest tests
# were written against trixie's nvme-cli, fio and e2fsprogs.
usersuite=$suite
nepf_kguest_suite "$suite" && usersuite=trixie

# Userland copied whole (libraries come on demand).
base_pkgs="busybox-static bash coreutils util-linux mount kmod e2fsprogs
	pciutils pci.ids nvme-cli fio libc6"
pkgs=$(echo $base_pkgs ${GUEST_PACKAGES:-} | tr ' ' '\n' | sort -u | tr '\n' ' ')

# Stock modules the tests may load (dependencies come from modules.dep).
base_mods="configfs nvme-keyring nvme-auth nvme-core nvme nvme-fabrics nvme-tcp
	nvmet nvmet-tcp nvme-loop null_blk loop brd dm-mod dm-delay
	dm-flakey ext4 xfs crc32c_generic crc-t10dif"
mods=$(echo $base_mods ${VM_MODULES:-} | tr ' ' '\n' | sort -u | tr '\n' ' ')

# The image's own hash too: a kernel rebuilt from source keeps its release
# name (6.1.176-nepf-vm) but not its modules' symbol CRCs, and the old
# build's modules would then be refused ("Exec format error").
kid=$(sha256sum < "$kernel/vmlinuz" | cut -c1-16)
key=$( (echo "$suite $abi $kid $pkgs $mods"; cat "$0") | sha256sum | cut -c1-16)
out=$NEPF_CACHE/vm/base/$suite-$key
if [ -e "$out/.complete" ]; then
	echo "$out"
	exit 0
fi

debs=$NEPF_CACHE/vm/debs/$usersuite
unpacked=$NEPF_CACHE/vm/unpacked/$usersuite
mkdir -p "$debs/partial" "$unpacked"
rm -rf "$out"
mkdir -p "$out"
root=$out/root
mkdir -p "$root"

# 1. The closure of the packages, as the arm64 architecture sees it.
apt_arm64=(-o APT::Architecture=arm64 -o Dir::Cache::Archives="$debs"
	-o APT::Install-Recommends=false -o APT::Install-Suggests=false)
nepf_apt_update "$usersuite"
nepf_log "resolving guest packages ($usersuite): $pkgs"
closure=$(nepf_apt "$usersuite" "${apt_arm64[@]}" -s install $pkgs |
	sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) [^[]*\[\([a-z0-9]*\)\]).*/\1 \2 \3/p')
[ -n "$closure" ] || nepf_die "could not resolve the guest packages for $usersuite"
nepf_apt "$usersuite" "${apt_arm64[@]}" install -y -q --download-only $pkgs >&2 ||
	nepf_die "download of the guest packages failed"

# 2. Unpack each deb once (cached), with /bin, /sbin and /lib folded into
# /usr so that old and new (merged-/usr) packages combine.
deb_dir() {
	local name=$1 ver=$2 arch=$3
	echo "$unpacked/${name}_${ver//:/%3a}_$arch"
}
while read -r name ver arch; do
	d=$(deb_dir "$name" "$ver" "$arch")
	[ -e "$d/.complete" ] && continue
	f=$debs/${name}_${ver//:/%3a}_$arch.deb
	[ -f "$f" ] || nepf_die "missing $f after download"
	rm -rf "$d"
	mkdir -p "$d"
	dpkg-deb -x "$f" "$d"
	for top in bin sbin lib; do
		if [ -d "$d/$top" ] && [ ! -L "$d/$top" ]; then
			mkdir -p "$d/usr/$top"
			cp -a "$d/$top/." "$d/usr/$top/"
			rm -rf "${d:?}/$top"
		fi
	done
	touch "$d/.complete"
done <<< "$closure"

# 3. The requested packages, whole, minus documentation.
for p in $pkgs; do
	line=$(grep "^$p " <<< "$closure" || true)
	if [ -z "$line" ]; then
		nepf_die "package $p is not in the resolved closure"
	fi
	d=$(deb_dir $line)
	tar -C "$d" --exclude=./usr/share/doc --exclude=./usr/share/man \
		--exclude=./usr/share/info --exclude=./usr/share/locale \
		--exclude=./usr/share/lintian --exclude=./usr/share/bug \
		--exclude=./usr/lib/aarch64-linux-gnu/gconv --exclude=./.complete \
		-cf - . | tar -C "$root" -xf -
done

# 4. Shared libraries by ELF NEEDED, from anywhere in the closure.
libmap=$out/libmap
while read -r name ver arch; do
	d=$(deb_dir "$name" "$ver" "$arch")
	# Depth 3: private library directories such as .../ceph/.
	find "$d/usr/lib" -maxdepth 3 \( -type f -o -type l \) -name '*.so*' \
		-printf "%f ${d//%/%%} %P\n" 2>/dev/null || true
done <<< "$closure" | awk '!seen[$1]++' > "$libmap"

needed() {
	readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}
copy_lib() {
	local soname=$1 entry dir rel
	entry=$(awk -v s="$soname" '$1 == s {print $2, $3; exit}' "$libmap")
	[ -n "$entry" ] || return 1
	dir=${entry%% *}
	rel=usr/lib/${entry#* }
	[ -e "$root/$rel" ] && return 0
	mkdir -p "$root/$(dirname "$rel")"
	cp -a "$dir/$rel" "$root/$rel"
	if [ -L "$dir/$rel" ]; then
		local target; target=$(readlink -f "$dir/$rel")
		cp -a "$target" "$root/$(dirname "$rel")/"
	fi
}
have_lib() {
	local rel
	rel=$(awk -v s="$1" '$1 == s {print $3; exit}' "$libmap")
	[ -n "$rel" ] && [ -e "$root/usr/lib/$rel" ]
}
pending=$(find "$root" -type f \( -perm -u+x -o -name '*.so*' \) -print0 |
	xargs -0 file -N | sed -n 's/^\([^:]*\): *ELF.*dynamic.*/\1/p')
missing=""
while [ -n "$pending" ]; do
	next=""
	for f in $pending; do
		for so in $(needed "$f"); do
			have_lib "$so" && continue
			if copy_lib "$so"; then
				next+=" $root/usr/lib/$(awk -v s="$so" '$1 == s {print $3; exit}' "$libmap")"
			else
				missing+=" $so"
			fi
		done
	done
	pending=$next
done
[ -z "$missing" ] || nepf_log "warning: libraries not found: $(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')"

# 5. Merged-/usr layout, a few files the tools expect.
for top in bin sbin lib; do
	ln -sfn "usr/$top" "$root/$top"
done
mkdir -p "$root"/{dev,proc,sys,tmp,run,mnt,root,var/tmp,etc/nvme}
echo 'root:x:0:0:root:/root:/bin/bash' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
echo nepf-guest > "$root/etc/hostname"
[ -e "$root/usr/bin/busybox" ] || nepf_die "busybox missing from the guest root"
[ -e "$root/usr/lib/ld-linux-aarch64.so.1" ] ||
	ln -s aarch64-linux-gnu/ld-linux-aarch64.so.1 "$root/usr/lib/ld-linux-aarch64.so.1"

# 6. Stock modules with their dependencies, decompressed (no decompression
# in the guest, and insmod of a plain .ko works everywhere).
kmods=$kernel/lib/modules/$abi
mdst=$root/usr/lib/modules/$abi
mkdir -p "$mdst"
want=""
for m in $mods; do
	line=$(grep -E "/${m}\.ko(\.[a-z]+)?:" "$kmods/modules.dep" | head -n 1 || true)
	if [ -z "$line" ]; then
		grep -qE "/${m}\.ko" "$kmods/modules.builtin" 2>/dev/null ||
			nepf_log "note: module $m not in $abi (built in or absent)"
		continue
	fi
	want+=" ${line//:/}"
done
for rel in $(echo $want | tr ' ' '\n' | sort -u); do
	dst=$mdst/${rel%.xz}
	dst=${dst%.zst}
	mkdir -p "$(dirname "$dst")"
	case $rel in
	*.xz) xz -dc "$kmods/$rel" > "$dst" ;;
	*.zst) zstd -qdc "$kmods/$rel" > "$dst" ;;
	*) cp "$kmods/$rel" "$dst" ;;
	esac
done
cp "$kmods"/modules.builtin* "$kmods"/modules.order "$mdst/" 2>/dev/null || true
depmod -b "$root" "$abi" || nepf_die "depmod failed on the guest modules"
cp -a "$mdst" "$out/modules"

# 7. One uncompressed cpio (QEMU loads it as is; decompressing under TCG
# costs seconds, copying does not).
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --quiet) > "$out/base.cpio"
nepf_log "guest base ($suite): $(du -sh "$root" | cut -f1) in $(find "$root" -type f | wc -l) files"
rm -rf "$root"
touch "$out/.complete"
echo "$out"
