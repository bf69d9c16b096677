# shellcheck shell=bash
# "a && b || c" where b cannot fail; awk programs:
# shellcheck disable=SC2015,SC2016
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: list-controllers, start, stop, status, destroy: the
# commands that show or act on what exists (remove_func and remove_subsys
# serve restore --prune too).

cmd_list_controllers() {
	local c f user found=0 json=0 lines=''
	while [ $# -gt 0 ]; do
		case $1 in
		--json) json=1 ;;
		*) usage_error "unexpected argument '$1'" list-controllers ;;
		esac
		shift
	done
	[ -d "$EPC_CLASS" ] || { warn "no endpoint controller ($EPC_CLASS is missing: CONFIG_PCI_ENDPOINT?)"; return 1; }
	for c in "$EPC_CLASS"/*; do
		[ -e "$c" ] || continue
		found=1
		c=${c##*/} user=
		if [ -d "$CFS/functions" ]; then
			for f in $(children "$CFS/functions"); do
				[ "$(rd "$CFS/functions/$f/epc")" = "$c" ] && user="$user $f"
			done
		fi
		if [ "$json" = 1 ]; then
			lines+="controllers/$c/used_by${TAB}${user# }"$'\n'
		else
			printf '%s\t%s\n' "$c" "${user:+used by$user}"
		fi
	done
	[ "$found" = 1 ] || { warn "no endpoint controller found in $EPC_CLASS"; return 1; }
	[ "$json" = 0 ] || printf '%s' "$lines" | to_json
}

# Names given on the command line, or every function with --all.
func_args() {
	local cmd=$1; shift
	[ $# -gt 0 ] || usage_error "expected a function name or --all" "$cmd"
	if [ "$1" = --all ]; then
		[ $# -eq 1 ] || usage_error "--all takes no names" "$cmd"
		children "$CFS/functions"
		return 0
	fi
	local n
	for n in "$@"; do
		case $n in -*) usage_error "unknown option $n" "$cmd" ;; esac
	done
	for n in "$@"; do
		obj_name "$n" && [ -d "$CFS/functions/$n" ] || die "$cmd: no function $n"
		echo "$n"
	done
}

set_start() {
	local cmd=$1 val=$2 rc=0 n names release=0 s a=(); shift 2
	# stop --all --release also disables every namespace, which closes
	# the backing devices and files (nvme-epf.service's ExecStop: at
	# shutdown they must be free before filesystems are unmounted).
	for n in "$@"; do
		if [ "$cmd" = stop ] && [ "$n" = --release ]; then release=1; else a+=("$n"); fi
	done
	set -- ${a[@]+"${a[@]}"}
	[ "$release" = 0 ] || [ "${1:-}" = --all ] || usage_error "--release goes with --all" stop
	ensure_configfs
	names=$(func_args "$cmd" "$@") || exit $?
	for n in $names; do
		if is_on "$(rd "$CFS/functions/$n/start")" && [ "$val" = 1 ]; then continue; fi
		if ! is_on "$(rd "$CFS/functions/$n/start")" && [ "$val" = 0 ]; then continue; fi
		wr "$CFS/functions/$n/start" "$val" || { warn "$cmd $n: $WERR"; rc=1; }
	done
	[ "$release" = 1 ] || return $rc
	for s in $(children "$CFS/subsystems"); do
		for n in $(children "$CFS/subsystems/$s/namespaces"); do
			is_on "$(rd "$CFS/subsystems/$s/namespaces/$n/enable")" || continue
			wr "$CFS/subsystems/$s/namespaces/$n/enable" 0 ||
				{ warn "stop: cannot release subsystem $s namespace $n: $WERR"; rc=1; }
		done
	done
	return $rc
}

cmd_status() {
	local only='' json=0 f s n v d a
	while [ $# -gt 0 ]; do
		case $1 in
		--json) json=1 ;;
		-?*) usage_error "unknown option $1" status ;;
		*) [ -z "$only" ] || usage_error "only one name" status; only=$1 ;;
		esac
		shift
	done
	ensure_configfs
	if [ -n "$only" ] && ! { obj_name "$only" &&
	   { [ -d "$CFS/functions/$only" ] || [ -d "$CFS/subsystems/$only" ]; }; }; then
		die "status: no function or subsystem $only"
	fi
	if [ "$json" = 1 ]; then
		# What save writes, the rules and the live status included.
		{
			flatten_live 1 0 || exit 1
			for f in $(children "$CFS/functions"); do
				for a in state link queues commands; do
					v=$(rd "$CFS/functions/$f/status/$a") &&
						printf 'functions/%s/status/%s\t%s\n' "$f" "$a" "$v"
				done
			done
			:
		} | $AWK -F '\t' -v only="$only" 'only == "" || $1 == "version" ||
			index($1, "functions/" only "/") == 1 || index($1, "subsystems/" only "/") == 1' |
			to_json
		return "${PIPESTATUS[0]}"
	fi
	for f in $(children "$CFS/functions"); do
		[ -z "$only" ] || [ "$only" = "$f" ] || continue
		d=$CFS/functions/$f
		v=stopped
		is_on "$(rd "$d/start")" && v=started
		echo "function $f: epc $(rd "$d/epc"), subsystem $(rd "$d/subsystem"), $v"
		for a in state link queues commands; do
			v=$(rd "$d/status/$a") && printf '  %s: %s\n' "$a" "$v"
		done
		# which engine moves the data, and why (debugfs, root only)
		sed -n 's/^# dma engine /  dma: /p' "$DEBUGFS/nvme_epf/$f/stats" 2>/dev/null
	done
	for s in $(children "$CFS/subsystems"); do
		[ -z "$only" ] || [ "$only" = "$s" ] || continue
		d=$CFS/subsystems/$s
		echo "subsystem $s: model \"$(rd "$d/attr_model")\", serial \"$(rd "$d/attr_serial")\""
		v=$(rd "$d/pool_size")
		[ -z "$v" ] || [ "$v" = 0 ] || echo "  pool $(rd "$d/pool_path"): $v bytes"
		for n in $(children "$d/namespaces" | sort -n); do
			a=$d/namespaces/$n
			v=$(rd "$a/device_path")
			[ "$(rd "$a/backend")" != null ] || v="$(rd "$a/size") bytes"
			printf '  namespace %s: %s %s (%s)\n' "$n" "$(rd "$a/backend")" "$v" \
				"$(is_on "$(rd "$a/enable")" && echo enabled || echo disabled)"
		done
	done
}

remove_subsys() {
	local s=$CFS/subsystems/$1 n
	for n in $(children "$s/namespaces"); do
		if is_on "$(rd "$s/namespaces/$n/enable")"; then
			wr "$s/namespaces/$n/enable" 0 || { fail "subsystems/$1/namespaces/$n/enable" "$WERR"; continue; }
		fi
		rmd "$s/namespaces/$n" || fail "subsystems/$1/namespaces/$n" "cannot remove: $WERR"
	done
	rmd "$s" || fail "subsystems/$1" "cannot remove: $WERR"
}

# remove_func NAME [STOPPED]: stop (unless STOPPED is not empty: a dry run
# stopped it already) and remove function NAME with its rules.
remove_func() {
	local f=$CFS/functions/$1 r
	if [ -z "${2:-}" ] && is_on "$(rd "$f/start")"; then
		wr "$f/start" 0 || { fail "functions/$1/start" "cannot stop: $WERR"; return 1; }
	fi
	# Error injection rules are directories of their own.
	for r in $(children "$f/inject"); do
		wr "$f/inject/$r/enable" 0; rmd "$f/inject/$r"
	done
	rmd "$f" || fail "functions/$1" "cannot remove: $WERR"
}

# Say what could not be done, and add it to the command's local FAILED.
fail() { FAILED+=("$1: $2"); warn "$1: $2, skipped"; }

cmd_destroy() {
	ensure_configfs
	local n s f used FAILED=()
	[ $# -gt 0 ] || usage_error "expected a name or --all" destroy
	for n in "$@"; do
		case $n in --all) [ $# -eq 1 ] || usage_error "--all takes no names" destroy ;;
		-*) usage_error "unknown option $n" destroy ;; esac
	done
	if [ "$1" = --all ]; then
		for n in $(children "$CFS/functions"); do remove_func "$n"; done
		for s in $(children "$CFS/subsystems"); do remove_subsys "$s"; done
	else
		for n in "$@"; do
			obj_name "$n" && { [ -d "$CFS/functions/$n" ] || [ -d "$CFS/subsystems/$n" ]; } ||
				die "destroy: no function or subsystem $n"
		done
		for n in "$@"; do
			s=$n
			if [ -d "$CFS/functions/$n" ]; then
				s=$(rd "$CFS/functions/$n/subsystem")
				remove_func "$n"
			fi
			[ -n "$s" ] && [ -d "$CFS/subsystems/$s" ] || continue
			used=
			for f in $(children "$CFS/functions"); do
				[ "$(rd "$CFS/functions/$f/subsystem")" = "$s" ] && used=$f
			done
			if [ -n "$used" ]; then
				echo "keeping subsystem $s (used by function $used)"
			else
				remove_subsys "$s"
			fi
		done
	fi
	[ ${#FAILED[@]} -eq 0 ]
}
