# shellcheck shell=bash
# shellcheck disable=SC2015  # "a && b || c" where b cannot fail
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: create, add-ns, remove-ns.  A create or add-ns checks
# everything first, then rolls back what it made if the module refuses a
# step half-way.

# backing_kind BACKING: what --backing BACKING is, "bdev", "file" or
# "null:BYTES"; or, failing, why it is none.
backing_kind() {
	local b=$1 sz
	case $b in
	null:*)
		sz=$(parse_size "${b#null:}") ||
			{ echo "--backing $b: size must be a positive multiple of 4 KiB (e.g. null:1G)"; return 1; }
		echo "null:$sz" ;;
	/*)
		if [ -b "$b" ]; then
			echo bdev
		elif [ -f "$b" ]; then
			echo file
		elif [ -e "$b" ]; then
			echo "--backing $b: neither a block device nor a regular file"; return 1
		else
			echo "--backing $b: no such device or file"; return 1
		fi ;;
	*)	echo "--backing $b: expected /dev/DEVICE, /path/to/file or null:SIZE"; return 1 ;;
	esac
}

# ---- rollback of a half-done change ----------------------------------------
# A command that makes several objects declares "local UNDO=()": each step
# pushes how to undo it, and a refused step undoes them all, newest first.

undo_push() { UNDO+=("$*"); }
undo_run() {
	local i op path
	for ((i = ${#UNDO[@]} - 1; i >= 0; i--)); do
		op=${UNDO[i]%% *} path=${UNDO[i]#* }
		case $op in
		stop) wr "$path/start" 0 ;;
		disable) wr "$path/enable" 0 ;;
		rmdir) rmd "$path" ;;
		esac || warn "rollback: could not undo $op ${path#"$CFS"/}: $WERR"
	done
}

# Write one attribute as part of a change that rolls back on failure.
step_wr() {
	wr "$1" "$2" && return 0
	warn "${1#"$CFS"/} = \"$2\": $WERR (refused by the module; dmesg may say why)"
	warn "rolling back"
	undo_run
	exit 1
}
step_mkd() {
	mkd "$1" || { warn "cannot create ${1#"$CFS"/}: $WERR"; undo_run; exit 1; }
	undo_push rmdir "$1"
}

# make_ns DIR KIND BACKING BLOCK_SIZE READONLY: create namespace DIR from
# --backing BACKING of backing_kind KIND (block size and read-only flag
# written if not empty), and enable it.
make_ns() {
	local d=$1 kind=$2 backing=$3 bs=$4 ro=$5
	step_mkd "$d"
	step_wr "$d/backend" "${kind%%:*}"
	case $kind in
	null:*) step_wr "$d/size" "${kind#null:}" ;;
	*) step_wr "$d/device_path" "$backing" ;;
	esac
	[ -z "$bs" ] || step_wr "$d/block_size" "$bs"
	[ -z "$ro" ] || step_wr "$d/readonly" "$ro"
	step_wr "$d/enable" 1
	undo_push disable "$d"
}

first_free_name() {
	local i=0
	while [ -e "$CFS/functions/epf$i" ] || [ -e "$CFS/subsystems/epf$i" ]; do
		i=$((i + 1))
	done
	echo "epf$i"
}

# pool_error DIR SIZE: why --pool DIR --pool-size SIZE is no capacity pool
# the module would take (docs/configfs.md, "The capacity pool"), if it is not.
pool_error() {
	local dir=$1 size=$2
	[ -n "$dir$size" ] || return 0
	[ -n "$dir" ] || { echo "--pool-size needs --pool DIR"; return; }
	[ -n "$size" ] || { echo "--pool needs --pool-size SIZE"; return; }
	parse_size "$size" > /dev/null ||
		{ echo "--pool-size $size: a positive multiple of 4 KiB (e.g. 64G)"; return; }
	case $dir in
	/*) ;;
	*) echo "--pool $dir: an absolute directory path"; return ;;
	esac
	[ "${#dir}" -le 255 ] || { echo "--pool: a path of at most 255 characters"; return; }
	[ -d "$dir" ] || echo "--pool $dir: no such directory (create it first: mkdir -p $dir)"
}

cmd_create() {
	local epc='' backing='' name='' queues='' qdepth='' msix='' mdts='' model='' serial='' dma='' cmb=''
	local bs='' ro='' kind='' pool='' pool_size='' UNDO=()
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || case $1 in --readonly) ;; *) usage_error "$1 needs a value" create ;; esac
		case $1 in
		--epc) epc=$2 ;; --backing) backing=$2 ;; --name) name=$2 ;;
		--queues) queues=$2 ;; --queue-depth) qdepth=$2 ;; --msix) msix=$2 ;;
		--mdts-kb) mdts=$2 ;; --model) model=$2 ;; --serial) serial=$2 ;;
		--dma) dma=$2 ;; --cmb) cmb=$2 ;; --block-size) bs=$2 ;;
		--pool) pool=$2 ;; --pool-size) pool_size=$2 ;;
		--readonly) ro=1; shift; continue ;;
		*) usage_error "unknown option $1" create ;;
		esac
		shift 2
	done
	# All checks first: nothing is created unless the whole request is sane.
	local errs=() e
	[ -n "$epc" ] || errs+=("--epc is required (see '$PROG list-controllers')")
	# With a pool the host creates the namespaces: namespace 1 is optional.
	[ -n "$backing" ] || [ -n "$pool" ] || errs+=("--backing (or --pool) is required")
	[ -n "$backing" ] || [ -z "$bs$ro" ] ||
		errs+=("--block-size and --readonly apply to --backing")
	e=$(pool_error "$pool" "$pool_size")
	[ -z "$e" ] || errs+=("$e")
	[ -z "$epc" ] || valid_name "$epc" || errs+=("--epc $epc: not a controller name")
	[ -z "$epc" ] || [ -e "$EPC_CLASS/$epc" ] ||
		errs+=("--epc $epc: no such endpoint controller in $EPC_CLASS")
	if [ -n "$backing" ]; then
		kind=$(backing_kind "$backing") || { errs+=("$kind"); kind=''; }
	fi
	[ -z "$name" ] || valid_name "$name" ||
		errs+=("--name $name: use letters, digits, '_', '.', ':' or '-'")
	for e in "--queues:$queues" "--queue-depth:$qdepth" "--msix:$msix" "--mdts-kb:$mdts"; do
		[ -z "${e#*:}" ] || is_num "${e#*:}" || errs+=("${e%%:*} ${e#*:}: expected a number")
	done
	[ -z "$model" ] || valid_ascii "$model" 40 ||
		errs+=("--model: up to 40 printable ASCII characters")
	[ -z "$serial" ] || valid_ascii "$serial" 20 ||
		errs+=("--serial: up to 20 printable ASCII characters")
	case $dma in ''|on|off) ;; *) errs+=("--dma $dma: expected on or off") ;; esac
	case $cmb in ''|on|off) ;; *) errs+=("--cmb $cmb: expected on or off") ;; esac
	case $bs in ''|512|4096) ;; *) errs+=("--block-size $bs: expected 512 or 4096") ;; esac
	if [ -n "$bs" ] && [ "${kind%%:*}" != null ]; then
		errs+=("--block-size only applies to null:SIZE backing")
	fi
	if [ ${#errs[@]} -gt 0 ]; then
		for e in "${errs[@]}"; do warn "create: $e"; done
		exit 2
	fi
	ensure_configfs
	# The module's own ranges, still before anything is created.
	errs=()
	local lim opt val
	for lim in "function.max_io_queues --queues $queues" "function.queue_depth --queue-depth $qdepth" \
		   "function.msix_vectors --msix $msix" "function.mdts_kb --mdts-kb $mdts" \
		   "function.name --name $name" "subsystem.name --name $name"; do
		read -r lim opt val <<< "$lim"
		[ -z "$val" ] || e=$(check_limit "$lim" "$val" "$opt $val")
		[ -z "$val" ] || [ -z "$e" ] || errs+=("$e")
	done
	if [ ${#errs[@]} -gt 0 ]; then
		printf '%s\n' "${errs[@]}" | sort -u | sed "s/^/$PROG: create: /" >&2
		exit 2
	fi
	# Two subsystems loading one directory would serve the same files twice.
	local other
	for other in $(children "$CFS/subsystems"); do
		[ -z "$pool" ] || [ "$(rd "$CFS/subsystems/$other/pool_path")" != "$pool" ] ||
			die "create: --pool $pool: subsystem $other already uses that directory"
	done
	[ -n "$name" ] || name=$(first_free_name)
	[ ! -e "$CFS/functions/$name" ] || die "create: function $name already exists"
	[ ! -e "$CFS/subsystems/$name" ] || die "create: subsystem $name already exists"

	local s=$CFS/subsystems/$name f=$CFS/functions/$name
	step_mkd "$s"
	[ -z "$model" ] || step_wr "$s/attr_model" "$model"
	[ -z "$serial" ] || step_wr "$s/attr_serial" "$serial"
	# The size first, so the pool loads (pool_path) with its capacity.
	if [ -n "$pool" ]; then
		step_wr "$s/pool_size" "$(parse_size "$pool_size")"
		step_wr "$s/pool_path" "$pool"
	fi
	[ -z "$backing" ] || make_ns "$s/namespaces/1" "$kind" "$backing" "$bs" "$ro"
	step_mkd "$f"
	step_wr "$f/epc" "$epc"
	step_wr "$f/subsystem" "$name"
	[ -z "$queues" ] || step_wr "$f/max_io_queues" "$((10#$queues))"
	[ -z "$qdepth" ] || step_wr "$f/queue_depth" "$((10#$qdepth))"
	[ -z "$msix" ] || step_wr "$f/msix_vectors" "$((10#$msix))"
	[ -z "$mdts" ] || step_wr "$f/mdts_kb" "$((10#$mdts))"
	[ "$dma" != on ] || step_wr "$f/dma" 1
	[ "$dma" != off ] || step_wr "$f/dma" 0
	[ "$cmb" != on ] || step_wr "$f/cmb" 1
	[ "$cmb" != off ] || step_wr "$f/cmb" 0
	step_wr "$f/start" 1
	local what=''
	case $kind in
	'') ;;
	null:*) what="null ${kind#null:} bytes" ;;
	*) what="$kind $backing" ;;
	esac
	[ -z "$pool" ] || what="${what:+$what; }pool $pool, $(parse_size "$pool_size") bytes"
	echo "created $name on $epc ($what)"
}

need_subsys() {
	[ -n "${1:-}" ] || usage_error "expected a subsystem name" "$2"
	obj_name "$1" || die "$2: no subsystem $1"
	[ -d "$CFS/subsystems/$1" ] || die "$2: no subsystem $1"
}

cmd_add_ns() {
	local sub=${1:-} nsid='' backing='' ro='' kind UNDO=()
	case $sub in ''|-*) usage_error "expected a subsystem name first" add-ns ;; esac
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--backing) [ $# -ge 2 ] || usage_error "--backing needs a value" add-ns; backing=$2; shift ;;
		--nsid) [ $# -ge 2 ] || usage_error "--nsid needs a value" add-ns; nsid=$2; shift ;;
		--readonly) ro=1 ;;
		*) usage_error "unknown option $1" add-ns ;;
		esac
		shift
	done
	[ -n "$backing" ] || usage_error "--backing is required" add-ns
	local e
	kind=$(backing_kind "$backing") || { warn "add-ns: $kind"; exit 2; }
	[ -z "$nsid" ] || is_num "$nsid" || { warn "add-ns: --nsid $nsid: expected a number"; exit 2; }
	ensure_configfs
	need_subsys "$sub" add-ns
	if [ -n "$nsid" ]; then
		e=$(check_limit namespace.nsid "$nsid" "--nsid $nsid")
		[ -z "$e" ] || { warn "add-ns: $e"; exit 2; }
	fi
	if [ -z "$nsid" ]; then
		nsid=1
		while [ -e "$CFS/subsystems/$sub/namespaces/$nsid" ]; do nsid=$((nsid + 1)); done
	fi
	nsid=$((10#$nsid))
	[ ! -e "$CFS/subsystems/$sub/namespaces/$nsid" ] || die "add-ns: $sub already has namespace $nsid"
	make_ns "$CFS/subsystems/$sub/namespaces/$nsid" "$kind" "$backing" '' "$ro"
	echo "added namespace $nsid to $sub"
}

cmd_remove_ns() {
	local sub=${1:-} nsid=${2:-}
	[ $# -eq 2 ] && is_num "$nsid" || usage_error "expected SUBSYSTEM NSID" remove-ns
	ensure_configfs
	need_subsys "$sub" remove-ns
	local d=$CFS/subsystems/$sub/namespaces/$((10#$nsid))
	[ -d "$d" ] || die "remove-ns: $sub has no namespace $nsid"
	if is_on "$(rd "$d/enable")"; then
		wr "$d/enable" 0 || die "remove-ns: cannot disable namespace $nsid: $WERR"
	fi
	rmd "$d" || die "remove-ns: cannot remove namespace $nsid: $WERR"
}
