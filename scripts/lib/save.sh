# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: save, the live tree as "path<TAB>value" lines (also
# status --json's) and then as JSON (json.sh).

# The settings the module lists in object directory $1 that the tool does
# not know ($2: the tool's list for that kind of object), one per line: its
# writable attribute files (read-only ones are counters, not settings).  A
# module newer than the tool may have some; saving without them would lose
# them silently.
unknown_attrs() {
	local f a
	for f in "$1"/*; do
		[ -f "$f" ] || continue
		a=${f##*/}
		in_list "$a" "$2" && continue
		[[ $(stat -L -c %A -- "$f" 2>/dev/null) == ??w* ]] && echo "${f#"$CFS"/}"
	done
}

# Every saved attribute as "section/name/.../attr<TAB>value"; injection
# rules only with $1 = 1.  Fails, naming them, on objects whose names the
# file cannot hold and (unless $2 = 0: status) on settings the module has
# that the tool does not know: nothing is skipped silently.
flatten_live() {
	local inject=$1 strict=${2:-1} s n f r a v bad=0 list
	echo "version${TAB}1"
	for s in "$CFS"/subsystems/*/ "$CFS"/subsystems/*/namespaces/*/ "$CFS"/functions/*/ \
		 "$CFS"/functions/*/inject/*/; do
		[ -d "$s" ] || continue
		s=${s%/}
		[[ $s == */inject/* ]] && [ "$inject" = 0 ] && continue
		obj_name "${s##*/}" ||
			{ warn "save: cannot save ${s#"$CFS"/}: its name has blanks or control characters"; bad=1; }
		case ${s#"$CFS"/} in
		*/namespaces/*) list=$NS_ATTRS ;;
		*/inject/*) list=$INJECT_ATTRS ;;
		functions/*) list=$FUNC_ATTRS ;;
		*) list=$SUBSYS_ATTRS ;;
		esac
		[ "$strict" = 1 ] || continue
		for a in $(unknown_attrs "$s" "$list"); do
			warn "save: cannot save $a: a setting of the module that this nvme-epf does not know (update nvme-epf-utils)"
			bad=1
		done
	done
	[ "$bad" = 0 ] || return 1
	for s in $(children "$CFS/subsystems"); do
		for a in $SUBSYS_ATTRS; do
			v=$(rd "$CFS/subsystems/$s/$a") && printf 'subsystems/%s/%s\t%s\n' "$s" "$a" "$v"
		done
		for n in $(children "$CFS/subsystems/$s/namespaces"); do
			for a in $NS_ATTRS; do
				v=$(rd "$CFS/subsystems/$s/namespaces/$n/$a") &&
					printf 'subsystems/%s/namespaces/%s/%s\t%s\n' "$s" "$n" "$a" "$v"
			done
		done
	done
	for f in $(children "$CFS/functions"); do
		for a in $FUNC_ATTRS; do
			v=$(rd "$CFS/functions/$f/$a") && printf 'functions/%s/%s\t%s\n' "$f" "$a" "$v"
		done
		[ "$inject" = 1 ] || continue
		for r in $(children "$CFS/functions/$f/inject"); do
			for a in $INJECT_ATTRS; do
				v=$(rd "$CFS/functions/$f/inject/$r/$a") &&
					printf 'functions/%s/inject/%s/%s\t%s\n' "$f" "$r" "$a" "$v"
			done
		done
	done
}

# ---- the units' ordering after the network ----------------------------------
# nvme-epf.service needs the network only when a namespace is backed over it;
# ordering every board's boot after network-online.target would hold the
# host's drive back on boards whose network is slow, down or unused.  So
# saving the default configuration writes (or removes) a drop-in that
# orders both units after the network and the services that attach remote
# disks, exactly when the saved namespaces need them.

# net_block NAME [DEPTH]: why block device NAME (sysfs) is reached over
# the network, if it is: NVMe over TCP/RDMA/FC, iSCSI, NBD, or an MD/DM
# device on one of those.  Fails if it is local (or unknown).
net_block() {
	local s=$SYSBLOCK/$1 depth=${2:-0} t
	[ "$depth" -lt 8 ] && [ -e "$s" ] || return 1
	# A partition: its disk.
	[ ! -e "$s/partition" ] || s=$(readlink -f -- "$s/..")
	case ${s##*/} in nbd[0-9]*) echo "${s##*/} is an NBD device"; return 0 ;; esac
	# An NVMe namespace: its controller, or with native multipath the
	# subsystem's controllers.
	for t in "$s"/device/transport "$s"/device/nvme*/transport; do
		case $(rd "$t") in
		tcp|rdma|fc) echo "${s##*/} is NVMe over $(rd "$t")"; return 0 ;;
		esac
	done
	case $(readlink -f -- "$s") in
	*/session[0-9]*/*) echo "${s##*/} is an iSCSI disk"; return 0 ;;
	esac
	for t in "$s"/slaves/*; do
		[ -e "$t" ] || continue
		net_block "${t##*/}" $((depth + 1)) && return 0
	done
	return 1
}

# net_path PATH: why the backing device or file PATH needs the network.
net_path() {
	local p fs
	p=$(readlink -f -- "$1" 2>/dev/null) || return 1
	# (The tests' fake block devices are plain files with a sysfs entry.)
	if [ -b "$p" ] || { [ "$FAKE" = 1 ] && [ -e "$SYSBLOCK/${p##*/}" ]; }; then
		net_block "${p##*/}"
		return
	fi
	fs=$(stat -f -c %T -- "$p" 2>/dev/null) || return 1
	case $fs in
	nfs*|cifs|smb*|ceph|afs|lustre) echo "on $fs" ;;
	*) return 1 ;;
	esac
}

# unit_network_order LINES: write or remove the drop-in, from the saved
# namespaces (device_path) and capacity pools (pool_path).
unit_network_order() {
	local k v r why=() u f
	while IFS=$TAB read -r k v; do
		case $k in
		subsystems/*/namespaces/*/device_path|subsystems/*/pool_path)
			[ -n "$v" ] && r=$(net_path "$v") && why+=("${k%/*}: $v ($r)") ;;
		esac
	done <<< "$1"
	[ -d "$SYSTEMD_DIR" ] || return 0
	for u in nvme-epf.service nvme-epf-restore@.service; do
		f=$SYSTEMD_DIR/$u.d/network.conf
		if [ ${#why[@]} -eq 0 ]; then
			[ -e "$f" ] || continue
			rm -f -- "$f" && rmdir -- "${f%/*}" 2>/dev/null
			echo "no namespace is backed over the network: removed $f"
			continue
		fi
		mkdir -p -- "${f%/*}" || { warn "save: cannot create ${f%/*}"; return 1; }
		{
			echo "# Written by \"nvme-epf save\", which removes it when no saved"
			echo "# namespace is backed over the network.  Backed over the network:"
			printf '#   %s\n' "${why[@]}"
			echo "[Unit]"
			echo "Wants=network-online.target"
			echo "After=network-online.target remote-fs.target nvmf-autoconnect.service"
			echo "After=iscsi.service open-iscsi.service"
		} > "$f" || { warn "save: cannot write $f"; return 1; }
		echo "namespaces backed over the network: $u waits for network-online.target ($f)"
	done
	# A running systemd reads the drop-ins now (it would at boot anyway).
	if [ "$FAKE" = 0 ] && [ -d /run/systemd/system ]; then
		systemctl daemon-reload 2>/dev/null || warn "save: systemctl daemon-reload failed"
	fi
	return 0
}

cmd_save() {
	local file='' force=0 inject=0 dir tmp lines old
	while [ $# -gt 0 ]; do
		case $1 in
		--force) force=1 ;;
		--with-inject) inject=1 ;;
		-?*) usage_error "unknown option $1" save ;;
		*) [ -z "$file" ] || usage_error "only one file" save; file=$1 ;;
		esac
		shift
	done
	[ -n "$file" ] || file=$DEFAULT_CONFIG
	ensure_configfs
	lines=$(flatten_live "$inject") || die "save: nothing written"
	if [ "$file" = - ]; then
		printf '%s\n' "$lines" | to_json
		return
	fi
	# An empty tree (module reloaded, configfs not restored yet) must not
	# silently replace a saved configuration.
	if [ "$force" = 0 ] && [ "$lines" = "version${TAB}1" ] && [ -s "$file" ] &&
	   old=$(from_json "$file" 2>/dev/null) && [ "$(grep -vc '^version' <<< "$old")" -gt 0 ]; then
		die "save: nothing is configured, $file is not replaced by an empty configuration (--force does)"
	fi
	dir=$(dirname -- "$file")
	mkdir -p -- "$dir" || die "save: cannot create $dir"
	tmp=$(umask 077 && mktemp "$dir/.${file##*/}.XXXXXX") || die "save: cannot write in $dir"
	if ! printf '%s\n' "$lines" | to_json > "$tmp"; then
		rm -f -- "$tmp"
		die "save: cannot write $tmp"
	fi
	chmod 0600 "$tmp"
	# Data on disk before the rename makes it visible, then the rename.
	sync -- "$tmp" 2>/dev/null || sync
	# The previous file stays as FILE.bak (one backup).
	if [ -f "$file" ] && ! cmp -s -- "$tmp" "$file"; then
		ln -f -- "$file" "$file.bak" 2>/dev/null || cp -p -- "$file" "$file.bak" ||
			{ rm -f -- "$tmp"; die "save: cannot keep a backup of $file"; }
	fi
	mv -f -- "$tmp" "$file" || { rm -f -- "$tmp"; die "save: cannot rename to $file"; }
	sync -- "$dir" 2>/dev/null || true
	echo "saved to $file"
	# The file the units restore: their ordering follows its backing.
	[ "$file" != "$DEFAULT_CONFIG" ] || unit_network_order "$lines" ||
		die "save: $file is saved, but the units' network ordering could not be written"
}
