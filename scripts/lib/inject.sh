# shellcheck shell=bash
# shellcheck disable=SC2015  # "a && b || c" where b cannot fail
# SPDX-License-Identifier: GPL-2.0
# nvme-epf library: inject, the device-side error injection rules of a
# function.

inject_list() {
	local dir=$1 r n=0
	printf '%-12s %-3s %-7s %-28s %-24s %s\n' RULE ON ACTION MATCH STATUS/DELAY FIRED/MATCHED
	for r in $(children "$dir"); do
		n=$((n + 1))
		printf '%-12s %-3s %-7s %-28s %-24s %s\n' "$r" "$(rd "$dir/$r/enable")" \
			"$(rd "$dir/$r/action")" \
			"q=$(rd "$dir/$r/queue") opc=$(rd "$dir/$r/opcode") ns=$(rd "$dir/$r/nsid") lba=$(rd "$dir/$r/lba_first")-$(rd "$dir/$r/lba_last") 1/$(rd "$dir/$r/every") first=$(rd "$dir/$r/first") $(rd "$dir/$r/percent")%" \
			"sct=$(rd "$dir/$r/sct") sc=$(rd "$dir/$r/sc") dnr=$(rd "$dir/$r/dnr") $(rd "$dir/$r/delay_us")us" \
			"$(rd "$dir/$r/fired")/$(rd "$dir/$r/matched")"
	done
	[ $n -gt 0 ] || echo "(no rules: injection is off)"
}

cmd_inject() {
	local fn=${1:-} op=${2:-} dir rule kv disabled=0 r e
	[ -n "$fn" ] || usage_error "expected a function name" inject
	obj_name "$fn" || die "no function $fn"
	dir=$CFS/functions/$fn/inject
	[ -d "$dir" ] || die "no function $fn (or a module without error injection)"
	shift 2 2>/dev/null || shift $#
	case $op in
	list|'') inject_list "$dir" ;;
	add)
		rule=${1:-}
		valid_name "$rule" || usage_error "expected a rule name" inject
		e=$(check_limit rule.name "$rule" "rule $rule")
		[ -z "$e" ] || usage_error "$e" inject
		shift
		[ ! -e "$dir/$rule" ] || die "rule $rule exists"
		mkd "$dir/$rule" || die "cannot create rule $rule"
		for kv in "$@"; do
			case $kv in
			--disabled) disabled=1; continue ;;
			*=*) ;;
			*) rmd "$dir/$rule"; usage_error "expected ATTR=VALUE, not '$kv'" inject ;;
			esac
			case ${kv%%=*} in
			queue|opcode|nsid|lba_first|lba_last|every|first|percent|action|sct|sc|dnr|more|delay_us) ;;
			*) rmd "$dir/$rule"; usage_error "unknown attribute '${kv%%=*}'" inject ;;
			esac
			wr "$dir/$rule/${kv%%=*}" "${kv#*=}" || { rmd "$dir/$rule"; die "$rule: ${kv%%=*}=${kv#*=} refused"; }
		done
		[ $disabled = 1 ] || wr "$dir/$rule/enable" 1 ||
			{ rmd "$dir/$rule"; die "$rule: cannot enable (see dmesg)"; }
		inject_list "$dir" ;;
	remove)
		[ $# -eq 1 ] || usage_error "expected a rule name or --all" inject
		for r in $(children "$dir"); do
			[ "$1" = --all ] || [ "$1" = "$r" ] || continue
			wr "$dir/$r/enable" 0 && rmd "$dir/$r" || die "cannot remove $r"
		done ;;
	*) usage_error "unknown inject operation '$op'" inject ;;
	esac
}
