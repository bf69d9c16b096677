# SPDX-License-Identifier: GPL-2.0
# Per-suite build roots ($NEPF_CACHE/roots/<suite>) and running commands in
# them.  Source after common.sh.  A root is an amd64 Debian of that suite
# holding its cross compilers; kernel trees stay outside the roots under
# $NEPF_CACHE/kernels and are bind-mounted at the same path, so a path means
# the same thing on the host and inside a root.

NEPF_ROOTS=$NEPF_CACHE/roots
NEPF_LOCKS=$NEPF_CACHE/locks
mkdir -p "$NEPF_ROOTS" "$NEPF_LOCKS"

# Run "$@" holding the named cache lock (one preparer per cache entry).
nepf_locked() {
	local name=$1; shift
	(
		flock 9 || exit 1
		"$@"
	) 9>"$NEPF_LOCKS/$name.lock"
}

# Packages every root gets; the per-suite compilers are added below.
nepf_root_pkgs() {
	local common="make bc bison flex libelf-dev libssl-dev kmod dwarves cpio xz-utils
		gcc libc6-dev perl sparse dkms patch"
	case $1 in
	bullseye|bookworm) echo "$common gcc-aarch64-linux-gnu" ;;
	trixie) echo "$common gcc-14 gcc-14-aarch64-linux-gnu gcc-14-arm-linux-gnueabihf" ;;
	sid) echo "$common gcc-16-aarch64-linux-gnu" ;;
	*) nepf_die "no root recipe for suite $1" ;;
	esac
}

nepf_root_create() {
	local suite=$1 root=$NEPF_ROOTS/$1
	[ -e "$root/.complete" ] && return 0
	nepf_host_install mmdebstrap
	local tmp=$root.tmp
	rm -rf "$tmp"
	nepf_log "creating the $suite root (mmdebstrap)"
	# In a mount namespace of its own: mmdebstrap mounts /proc in the root
	# and leaves it mounted when its umount fails (seen once, on a loaded
	# cold run: a read-only proc stayed on roots/sid/proc); the namespace's
	# mounts go with it.
	# shellcheck disable=SC2046
	unshare --mount --propagation private -- \
		mmdebstrap --variant=apt --mode=root -q \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--aptopt='APT::Install-Recommends "false"' \
		--include="$(nepf_root_pkgs "$suite" | tr -s ' \t\n' ',' | sed 's/^,//;s/,$//')" \
		"$suite" "$tmp" "$(nepf_mirror)" >&2 || { rm -rf "$tmp"; return 1; }
	touch "$tmp/.complete"
	mv "$tmp" "$root"
}

# Make sure the suite's root exists (idempotent, safe against concurrent callers).
nepf_root() {
	[ -e "$NEPF_ROOTS/$1/.complete" ] || nepf_locked "root-$1" nepf_root_create "$1"
	[ -e "$NEPF_ROOTS/$1/.complete" ] || nepf_die "could not create the $1 root"
}

# Install extra packages into a root if missing.
nepf_root_install() {
	local suite=$1; shift
	local root=$NEPF_ROOTS/$suite missing=() p
	for p in "$@"; do
		chroot "$root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	nepf_log "installing into the $suite root: ${missing[*]}"
	nepf_locked "root-$suite" nepf_root_run "$suite" "" sh -c \
		"apt-get -qq update && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends -o DPkg::Lock::Timeout=900 ${missing[*]}" >&2
}

# nepf_root_run SUITE "PATHS..." CMD...: run CMD in the root with /dev, /proc
# and the given host paths (plus the clone, the build dir and the kernel
# trees) bind-mounted at the same place, in a private mount namespace,
# starting in the current directory when it exists there.
nepf_root_run() {
	local suite=$1 paths=$2; shift 2
	local root=$NEPF_ROOTS/$suite
	mkdir -p "$NEPF_CACHE/kernels"
	unshare --mount --propagation private -- /bin/bash -c '
		root=$1; paths=$2; cwd=$PWD; shift 2
		mount --bind /dev "$root/dev" && mount -t proc proc "$root/proc" || exit 1
		mount -t tmpfs tmpfs "$root/dev/shm" 2>/dev/null
		for p in $paths; do
			[ -d "$p" ] || continue
			mkdir -p "$root$p" && mount --bind "$p" "$root$p" || exit 1
		done
		cd /
		exec chroot "$root" /bin/sh -c "cd \"\$0\" 2>/dev/null; exec \"\$@\"" \
			"$cwd" "$@"' nepf-root "$root" \
		"$NEPF_TOP $NEPF_BUILD $NEPF_CACHE/kernels $paths" "$@"
}
