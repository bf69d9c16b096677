# shellcheck shell=bash
# shellcheck disable=SC2015  # "a && b || c" where b cannot fail
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: restore, which makes the live tree converge to a saved
# file (read by from_json, json.sh): it creates what is missing, changes
# what differs, keeps (or with --prune removes) what the file does not
# list, and names every change.

# The state of a run is local to cmd_restore; the helpers below see it
# (bash's scoping is dynamic): WANT, the file's "path" -> value; SUB_DIRTY,
# the subsystems whose own attributes change; STOPPED, the functions this
# run stopped (so that a dry run plans like a real one); KEPT, what the
# file does not list and stays; FAILED, what could not be applied; PRUNE.

running() { [ -z "${STOPPED[$1]:-}" ] && is_on "$(rd "$CFS/functions/$1/start")"; }

in_list() { case " ${2//[$'\n\t']/ } " in *" $1 "*) return 0 ;; esac; return 1; }

# want_key STATUS KEY VALUE WHAT: want KEY = VALUE if its checks passed
# (STATUS 0), else report it as an unknown WHAT setting.
want_key() {
	if [ "$1" = 0 ]; then
		WANT[$2]=$3
	else
		fail "$2" "unknown $4 setting"
	fi
}

# Validate the flattened file into WANT; report keys it cannot use.
load_want() {
	local k v rest a s n f
	while IFS="$TAB" read -r k v; do
		case $k in
		!) fail "${v%%"$TAB"*}" "${v#*"$TAB"}" ;;
		version) [ "$v" = 1 ] || { fail "version" "format version $v is not supported"; return 1; } ;;
		subsystems/*/namespaces/*/*)
			rest=${k#subsystems/} s=${rest%%/*} rest=${rest#*/namespaces/}
			n=${rest%%/*} a=${rest#*/}
			obj_name "$s" && is_num "$n" && [ "$n" = "$((10#$n))" ] && [ "$n" -gt 0 ] &&
				in_list "$a" "$NS_ATTRS"
			want_key $? "$k" "$v" namespace ;;
		subsystems/*/*)
			rest=${k#subsystems/} s=${rest%%/*} a=${rest#*/}
			obj_name "$s" && in_list "$a" "$SUBSYS_ATTRS"
			want_key $? "$k" "$v" subsystem ;;
		functions/*/inject/*/*)
			rest=${k#functions/} f=${rest%%/*} rest=${rest#*/inject/}
			n=${rest%%/*} a=${rest#*/}
			obj_name "$f" && obj_name "$n" && in_list "$a" "$INJECT_ATTRS"
			want_key $? "$k" "$v" "injection rule" ;;
		functions/*/*)
			rest=${k#functions/} f=${rest%%/*} a=${rest#*/}
			obj_name "$f" && in_list "$a" "$FUNC_ATTRS"
			want_key $? "$k" "$v" function ;;
		*) fail "$k" "unknown key" ;;
		esac
	done
	return 0
}

# Names of wanted objects: want_names PREFIX (e.g. "functions/").
want_names() {
	local k
	for k in "${!WANT[@]}"; do
		case $k in "$1"*) k=${k#"$1"}; echo "${k%%/*}" ;; esac
	done | sort -u
}

# Does a wanted object differ from the live one (ignoring $3, e.g. start)?
differs() {
	local dir=$1 prefix=$2 skip=$3 a live
	shift 3
	[ -d "$dir" ] || return 0
	for a in "$@"; do
		[ "$a" = "$skip" ] && continue
		[ -n "${WANT[$prefix/$a]+x}" ] || continue
		[ -n "${WANT[$prefix/$a]}" ] || continue
		live=$(rd "$dir/$a") || return 0
		[ "$live" = "${WANT[$prefix/$a]}" ] || return 0
	done
	return 1
}

# Write the wanted attributes that differ (empty values are not written:
# configfs attributes cannot be reset to "unset").
apply_attrs() {
	local dir=$1 prefix=$2 skip=$3 a v; shift 3
	for a in "$@"; do
		[ "$a" = "$skip" ] && continue
		[ -n "${WANT[$prefix/$a]+x}" ] || continue
		v=${WANT[$prefix/$a]}
		[ -n "$v" ] || continue
		[ "$(rd "$dir/$a")" = "$v" ] && continue
		wr "$dir/$a" "$v" || { fail "$prefix/$a" "cannot set \"$v\": $WERR"; return 1; }
	done
}

# What must exist before applying: controllers and backing files/devices.
missing_deps() {
	local k
	for k in "${!WANT[@]}"; do
		case $k in
		functions/*/epc)
			[ -e "$EPC_CLASS/${WANT[$k]}" ] || echo "endpoint controller ${WANT[$k]}" ;;
		subsystems/*/device_path)
			[ -z "${WANT[$k]}" ] || [ "${WANT[${k%/device_path}/backend]:-bdev}" = null ] ||
				[ -e "${WANT[$k]}" ] || echo "backing ${WANT[$k]}" ;;
		esac
	done | sort -u
}

# Only a subsystem's own attributes need its functions stopped: namespaces
# are attached and detached live (the host gets a namespace change notice).
subsys_differs() {
	# shellcheck disable=SC2086
	differs "$CFS/subsystems/$1" "subsystems/$1" "" $SUBSYS_ATTRS
}

restore_ns() {
	local s=$1 n=$2 d=$CFS/subsystems/$1/namespaces/$2 p=subsystems/$1/namespaces/$2 path
	# shellcheck disable=SC2086
	if differs "$d" "$p" enable $NS_ATTRS; then
		if [ ! -d "$d" ]; then
			mkd "$d" || { fail "$p" "cannot create: $WERR"; return; }
		elif is_on "$(rd "$d/enable")"; then
			wr "$d/enable" 0 || { fail "$p/enable" "cannot disable to change it: $WERR"; return; }
		fi
		# shellcheck disable=SC2086
		apply_attrs "$d" "$p" enable $NS_ATTRS || return
	fi
	if is_on "${WANT[$p/enable]:-1}"; then
		is_on "$(rd "$d/enable")" && return
		path=${WANT[$p/device_path]:-}
		if [ "${WANT[$p/backend]:-bdev}" != null ] && [ -n "$path" ] && [ ! -e "$path" ]; then
			fail "$p" "backing $path does not exist, namespace left disabled"
			return
		fi
		wr "$d/enable" 1 || fail "$p/enable" "cannot enable: $WERR"
	elif is_on "$(rd "$d/enable")"; then
		wr "$d/enable" 0 || fail "$p/enable" "cannot disable: $WERR"
	fi
}

restore_subsys() {
	local s=$1 d=$CFS/subsystems/$1 n
	if [ ! -d "$d" ]; then
		mkd "$d" || { fail "subsystems/$s" "cannot create: $WERR"; return; }
	fi
	# shellcheck disable=SC2086
	apply_attrs "$d" "subsystems/$s" "" $SUBSYS_ATTRS
	for n in $(children "$d/namespaces"); do
		[ -n "$(want_names "subsystems/$s/namespaces/$n/")" ] && continue
		keep "subsystems/$s/namespaces/$n" && continue
		if is_on "$(rd "$d/namespaces/$n/enable")"; then
			wr "$d/namespaces/$n/enable" 0 ||
				{ fail "subsystems/$s/namespaces/$n" "cannot disable: $WERR"; continue; }
		fi
		rmd "$d/namespaces/$n" || fail "subsystems/$s/namespaces/$n" "cannot remove: $WERR"
	done
	for n in $(want_names "subsystems/$s/namespaces/" | sort -n); do
		restore_ns "$s" "$n"
	done
}

# Error injection rules of function $1: remove those the file does not
# list, create or change the others (an enabled rule is frozen: disable,
# change, enable), enable those saved enabled.
restore_rules() {
	local f=$1 d=$CFS/functions/$1/inject r rd p
	for r in $(children "$d"); do
		[ -n "$(want_names "functions/$f/inject/$r/")" ] && continue
		keep "functions/$f/inject/$r" && continue
		if is_on "$(rd "$d/$r/enable")"; then
			wr "$d/$r/enable" 0 || { fail "functions/$f/inject/$r" "cannot disable: $WERR"; continue; }
		fi
		rmd "$d/$r" || fail "functions/$f/inject/$r" "cannot remove: $WERR"
	done
	for r in $(want_names "functions/$f/inject/"); do
		rd=$d/$r p=functions/$f/inject/$r
		# shellcheck disable=SC2086
		if differs "$rd" "$p" enable $INJECT_ATTRS; then
			if [ ! -d "$rd" ]; then
				mkd "$rd" || { fail "$p" "cannot create: $WERR"; continue; }
			elif is_on "$(rd "$rd/enable")"; then
				wr "$rd/enable" 0 || { fail "$p/enable" "cannot disable to change it: $WERR"; continue; }
			fi
			# shellcheck disable=SC2086
			apply_attrs "$rd" "$p" enable $INJECT_ATTRS || continue
		fi
		if is_on "${WANT[$p/enable]:-0}"; then
			is_on "$(rd "$rd/enable")" && continue
			wr "$rd/enable" 1 || { fail "$p/enable" "cannot enable: $WERR"; continue; }
			[ "$DRY" = 1 ] || warn "restore: error injection rule $f/$r is enabled (see dmesg)"
		elif is_on "$(rd "$rd/enable")"; then
			wr "$rd/enable" 0 || fail "$p/enable" "cannot disable: $WERR"
		fi
	done
}

restore_func() {
	local f=$1 d=$CFS/functions/$1 p=functions/$1 epc=${WANT[functions/$1/epc]:-}
	# The driver may refuse an unknown controller name: say what is missing.
	if [ -n "$epc" ] && [ ! -e "$EPC_CLASS/$epc" ]; then
		fail "$p" "endpoint controller $epc not present, function not restored"
		return
	fi
	if [ ! -d "$d" ]; then
		mkd "$d" || { fail "$p" "cannot create: $WERR"; return; }
	fi
	# shellcheck disable=SC2086
	apply_attrs "$d" "$p" start $FUNC_ATTRS || return
	# Rules before start: they apply from the host's first command.
	restore_rules "$f"
	if is_on "${WANT[$p/start]:-0}"; then
		running "$f" && return
		wr "$d/start" 1 || fail "$p/start" "cannot start: $WERR"
	elif running "$f"; then
		wr "$d/start" 0 || fail "$p/start" "cannot stop: $WERR"
	fi
}

# Must live function $1 stop before the file is applied?
must_stop() {
	local f=$1
	[ -z "${SUB_DIRTY[$(rd "$CFS/functions/$f/subsystem")]:-}" ] || return 0
	if [ -z "$(want_names "functions/$f/")" ]; then
		[ "$PRUNE" = 1 ]
		return
	fi
	# shellcheck disable=SC2086
	differs "$CFS/functions/$f" "functions/$f" start $FUNC_ATTRS ||
		! is_on "${WANT[functions/$f/start]:-0}"
}

# Objects the file does not list stay unless --prune: keep NAME says so
# (once) and succeeds when the object is to be kept.
keep() {
	[ "$PRUNE" = 0 ] || return 1
	KEPT+=("$1")
	return 0
}

# Forget the wanted objects under prefix $1 (restore --epc, --no-wait-epc).
want_drop() {
	local k
	for k in "${!WANT[@]}"; do
		[[ $k == "$1"* ]] && unset 'WANT[$k]'
	done
}

# restore --epc NAME: only the functions on controller NAME and the
# subsystems they serve (what a udev event for NAME needs).
want_only_epc() {
	local epc=$1 f s
	declare -A used=()
	for f in $(want_names functions/); do
		if [ "${WANT[functions/$f/epc]:-}" = "$epc" ]; then
			used[${WANT[functions/$f/subsystem]:-}]=1
		else
			want_drop "functions/$f/"
		fi
	done
	for s in $(want_names subsystems/); do
		[ -n "${used[$s]:-}" ] || want_drop "subsystems/$s/"
	done
}

# Serialise restores (boot, udev per controller, reload): a lock in /run.
restore_lock() {
	local lock=${NVME_EPF_LOCK:-/run/nvme-epf.lock}
	[ "$DRY" = 0 ] || return 0
	if ! { exec 9>>"$lock"; } 2>/dev/null; then
		warn "restore: cannot open the lock $lock, running without it"
		return 0
	fi
	flock -w 300 9 || die "restore: another restore holds $lock"
}

cmd_restore() {
	local file='' explicit=0 wait=30 lines f s waited=0 missing epc='' nowait_epc=0 e
	local -A WANT=() SUB_DIRTY=() STOPPED=()
	local KEPT=() FAILED=() PRUNE=0
	# shellcheck disable=SC2034  # read by changed() (configfs.sh)
	REPORT=1
	while [ $# -gt 0 ]; do
		case $1 in
		--prune) PRUNE=1 ;;
		--epc) [ $# -ge 2 ] && obj_name "$2" || usage_error "--epc needs a controller name" restore
			epc=$2; shift ;;
		--no-wait-epc) nowait_epc=1 ;;
		--wait) [ $# -ge 2 ] && valid_int "$2" 0 3600 ||
				usage_error "--wait needs a number of seconds (0-3600)" restore
			wait=$((10#$2)); shift ;;
		--dry-run) DRY=1 ;;
		-?*) usage_error "unknown option $1" restore ;;
		*) [ -z "$file" ] || usage_error "only one file" restore; file=$1; explicit=1 ;;
		esac
		shift
	done
	[ -n "$file" ] || file=$DEFAULT_CONFIG
	[ "$file" != - ] || file=/dev/stdin
	if [ ! -e "$file" ]; then
		[ "$explicit" = 1 ] && die "restore: $file does not exist"
		echo "nothing to restore: $file does not exist (write it with '$PROG save')"
		return 0
	fi
	if [ "$PRUNE" = 1 ] && { [ -n "$epc" ] || [ "$nowait_epc" = 1 ]; }; then
		usage_error "--prune applies to the whole file, not with --epc or --no-wait-epc" restore
	fi
	lines=$(from_json "$file") || die "restore: $file is not a valid nvme-epf configuration"
	load_want <<< "$lines" || exit 1
	if [ -n "$epc" ]; then
		want_only_epc "$epc"
		[ -n "$(want_names functions/)" ] ||
			{ echo "restore: no function of $file uses endpoint controller $epc"; return 0; }
	fi
	# Functions on a controller that is not there yet are left to the udev
	# rule, which restores them when it appears (nvme-epf-restore@.service).
	if [ "$nowait_epc" = 1 ]; then
		for f in $(want_names functions/); do
			e=${WANT[functions/$f/epc]:-}
			[ -n "$e" ] && [ ! -e "$EPC_CLASS/$e" ] || continue
			echo "restore: functions/$f waits for endpoint controller $e (restored when it appears)"
			want_drop "functions/$f/"
		done
	fi

	ensure_configfs
	restore_lock
	# Backing devices (LVM, MD, USB disks) and the controller driver may
	# still be probing at boot: wait for them, but not forever.  A dry run
	# plans with what is there now.
	[ "$DRY" = 0 ] || wait=0
	while missing=$(missing_deps) && [ -n "$missing" ] && [ "$waited" -lt "$wait" ]; do
		[ "$waited" -gt 0 ] || echo "waiting up to $wait s for: $(echo "$missing" | tr '\n' ' ')"
		sleep 1
		waited=$((waited + 1))
	done

	for s in $(want_names subsystems/); do
		subsys_differs "$s" && SUB_DIRTY[$s]=1
	done
	# 1. Stop the functions that change (also through their subsystem), or
	# that go away with --prune.
	for f in $(children "$CFS/functions"); do
		is_on "$(rd "$CFS/functions/$f/start")" && must_stop "$f" || continue
		if wr "$CFS/functions/$f/start" 0; then
			STOPPED[$f]=1
		else
			fail "functions/$f/start" "cannot stop: $WERR"
		fi
	done
	# 2. Remove the functions the file does not list (--prune), or say
	# they stay; a function that stays and was stopped for its subsystem
	# starts again at the end.
	for f in $(children "$CFS/functions"); do
		[ -n "$(want_names "functions/$f/")" ] || keep "functions/$f" || remove_func "$f" "${STOPPED[$f]:-}"
	done
	# 3. Subsystems and namespaces, then functions (started last).
	for s in $(want_names subsystems/); do
		restore_subsys "$s"
	done
	for f in $(want_names functions/); do
		restore_func "$f"
	done
	for f in "${!STOPPED[@]}"; do
		[ -z "$(want_names "functions/$f/")" ] && [ -d "$CFS/functions/$f" ] || continue
		wr "$CFS/functions/$f/start" 1 || fail "functions/$f/start" "cannot start again: $WERR"
	done
	# 4. Subsystems the file does not list, once no function in it names
	# them any more (a function may have moved to another subsystem).
	for s in $(children "$CFS/subsystems"); do
		[ -n "$(want_names "subsystems/$s/")" ] || keep "subsystems/$s" || remove_subsys "$s"
	done

	if [ ${#KEPT[@]} -gt 0 ]; then
		echo "restore: kept what $file does not list (--prune removes it):"
		for f in "${KEPT[@]}"; do echo "  $f"; done
	fi
	if [ ${#FAILED[@]} -gt 0 ]; then
		warn "restore: ${#FAILED[@]} item(s) could not be applied:"
		for f in "${FAILED[@]}"; do warn "  $f"; done
		return 1
	fi
	if [ "$CHANGES" = 0 ]; then
		echo "restore: already up to date, nothing changed"
	elif [ "$DRY" = 1 ]; then
		echo "restore: $CHANGES change(s) would be made"
	else
		echo "restore: $CHANGES change(s) applied"
	fi
}
