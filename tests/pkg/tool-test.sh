#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit tests of scripts/nvme-epf that need no kernel: argument validation,
# rollback, save/restore round trip and convergence, the JSON reader's
# error handling and doctor's checks, on a fake configfs tree (plain
# directories, NVME_EPF_FAKE=1) in a temporary directory.
# Prints PASS:/FAIL: tool-<case>; exits 1 if any case failed.
# shellcheck disable=SC2317,SC2015,SC2059,SC2115  # functions run through check(); test data as formats
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# NVME_EPF_TOOL: test another copy (the installed /usr/sbin/nvme-epf: debian/tests).
tool=${NVME_EPF_TOOL:-$top/scripts/nvme-epf}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# The fake configfs refuses what the kernel refuses (tests/pkg/fake-kernel.sh).
export NVME_EPF_CONFIGFS=$tmp/cfs NVME_EPF_FAKE=1 NVME_EPF_EPC_CLASS=$tmp/epc \
	NVME_EPF_DMA_CLASS=$tmp/dma NVME_EPF_CONFIG=$tmp/etc/config.json NVME_EPF_LOCK=$tmp/lock \
	NVME_EPF_FAKE_KERNEL=$top/tests/pkg/fake-kernel.sh \
	NVME_EPF_SYSBLOCK=$tmp/sysblock NVME_EPF_SYSTEMD_DIR=$tmp/systemd
unset NVME_EPF_FAKE_FAIL

reset_tree() {
	rm -rf "$tmp/cfs" "$tmp/epc" "$tmp/dev" "$tmp/etc" "$tmp/dma" "$tmp/sys" "$tmp/sysblock" \
		"$tmp/systemd"
	mkdir -p "$tmp/cfs/functions" "$tmp/cfs/subsystems" "$tmp/epc/vepc.0" "$tmp/dev" "$tmp/dma"
	truncate -s 4M "$tmp/dev/disk.img"
	# What the module publishes (nvme_epf/limits, src/cfg-limits.c; the unit
	# test limits_published_equal_tool_fake keeps the two texts equal).
	cp "$top/tests/pkg/kernel-limits" "$tmp/cfs/limits"
}

# Content digest of the fake configfs tree (names and values).
tree_sum() {
	(cd "$tmp/cfs" && find . -type f | sort | while read -r f; do echo "$f=$(cat "$f")"; done) |
		md5sum
}

check() {
	local name=$1; shift
	if ( "$@" ) > "$tmp/out" 2>&1; then
		echo "PASS: tool-$name"
	else
		echo "FAIL: tool-$name"
		sed 's/^/    /' "$tmp/out"
		failed=1
	fi
}

# Expect the tool to fail with status $1 and print $2, without touching
# configfs.  (Callers chain it: "|| return 1".)
rejects() {
	local rc=$1 msg=$2 before out; shift 2
	before=$(tree_sum)
	out=$("$tool" "$@" 2>&1)
	local got=$?
	[ "$got" = "$rc" ] || { echo "exit $got, expected $rc: $out"; return 1; }
	grep -qF -- "$msg" <<< "$out" || { echo "no '$msg' in: $out"; return 1; }
	[ "$(tree_sum)" = "$before" ] || { echo "configfs changed"; return 1; }
}

t_validation() {
	reset_tree
	rejects 2 "--epc is required" create --backing null:1G || return 1
	rejects 2 "no such endpoint controller" create --epc nope.0 --backing null:1G || return 1
	rejects 2 "size must be a positive multiple" create --epc vepc.0 --backing null:1000 || return 1
	rejects 2 "size must be a positive multiple" create --epc vepc.0 --backing null: || return 1
	rejects 2 "no such device or file" create --epc vepc.0 --backing /dev/nonexistent-xyz || return 1
	rejects 2 "neither a block device nor a regular file" create --epc vepc.0 --backing /dev/null || return 1
	rejects 2 "expected /dev/DEVICE" create --epc vepc.0 --backing disk.img || return 1
	rejects 2 "--queues 0: the module takes 1-64" create --epc vepc.0 --backing null:1G --queues 0 || return 1
	rejects 2 "--queues 4x: expected a number" create --epc vepc.0 --backing null:1G --queues 4x || return 1
	rejects 2 "--msix 4096: the module takes 0-65" create --epc vepc.0 --backing null:1G --msix 4096 || return 1
	rejects 2 "--mdts-kb 6: the module takes 4-1024, a power of two" create --epc vepc.0 \
		--backing null:1G --mdts-kb 6 || return 1
	rejects 2 "--model" create --epc vepc.0 --backing null:1G \
		--model "a model name that is far too long for nvme" || return 1
	rejects 2 "--serial" create --epc vepc.0 --backing null:1G --serial "$(printf 'x\ty')" || return 1
	rejects 2 "--dma maybe" create --epc vepc.0 --backing null:1G --dma maybe || return 1
	rejects 2 "--cmb yes" create --epc vepc.0 --backing null:1G --cmb yes || return 1
	rejects 2 "--name a/b" create --epc vepc.0 --backing null:1G --name a/b || return 1
	rejects 2 "--block-size only applies" create --epc vepc.0 \
		--backing "$tmp/dev/disk.img" --block-size 512 || return 1
	rejects 2 "unknown option --bogus" create --bogus 1 || return 1
	rejects 2 "needs a value" create --epc || return 1
	# Several mistakes are all reported at once.
	out=$("$tool" create --epc nope --backing null:1 --queues 0x 2>&1)
	[ "$(grep -c 'create:' <<< "$out")" -ge 3 ] || { echo "not all errors: $out"; return 1; }
	rejects 2 "unknown command" frobnicate || return 1
	[ -z "$(find "$tmp/cfs" -mindepth 2)" ]
}

t_help() {
	local c
	for c in list-controllers create add-ns remove-ns start stop status destroy save \
		 restore doctor; do
		"$tool" "$c" --help | grep -q "^Usage: nvme-epf $c" || { echo "no help for $c"; return 1; }
	done
	"$tool" --help | grep -q "^Commands:"
}

t_create() {
	reset_tree
	"$tool" create --epc vepc.0 --backing "$tmp/dev/disk.img" --queues 4 --msix 5 \
		--model "nvme-epf virtual" --serial NEPF0001 --dma off --mdts-kb 128 --cmb on || return 1
	local f=$tmp/cfs/functions/epf0 s=$tmp/cfs/subsystems/epf0
	[ "$(cat "$f/epc")" = vepc.0 ] && [ "$(cat "$f/subsystem")" = epf0 ] &&
	[ "$(cat "$f/max_io_queues")" = 4 ] && [ "$(cat "$f/msix_vectors")" = 5 ] &&
	[ "$(cat "$f/dma")" = 0 ] && [ "$(cat "$f/mdts_kb")" = 128 ] &&
	[ "$(cat "$f/cmb")" = 1 ] && [ "$(cat "$f/start")" = 1 ] && [ "$(cat "$s/attr_model")" = "nvme-epf virtual" ] &&
	[ "$(cat "$s/namespaces/1/backend")" = file ] &&
	[ "$(cat "$s/namespaces/1/device_path")" = "$tmp/dev/disk.img" ] &&
	[ "$(cat "$s/namespaces/1/enable")" = 1 ] || return 1
	# A second create picks the next free name; a taken name is refused.
	"$tool" create --epc vepc.0 --backing null:1G | grep -q "created epf1" || return 1
	[ "$(cat "$tmp/cfs/subsystems/epf1/namespaces/1/size")" = 1073741824 ] || return 1
	rejects 1 "already exists" create --epc vepc.0 --backing null:1G --name epf1 || return 1
	"$tool" list-controllers | grep -q "vepc.0.*used by epf0 epf1"
}

# A subsystem over a capacity pool: --pool DIR --pool-size SIZE, with or
# without namespace 1; pool_size written before pool_path (which loads
# the pool); every bad combination refused before configfs is touched;
# save/restore keeps the pool; status shows it.
t_create_pool() {
	reset_tree
	mkdir -p "$tmp/pool" "$tmp/pool2"
	rejects 2 "--pool needs --pool-size" create --epc vepc.0 --pool "$tmp/pool" || return 1
	rejects 2 "--pool-size needs --pool DIR" create --epc vepc.0 --backing null:1G \
		--pool-size 1G || return 1
	rejects 2 "--pool-size 1000: a positive multiple of 4 KiB" create --epc vepc.0 \
		--pool "$tmp/pool" --pool-size 1000 || return 1
	rejects 2 "--pool-size 0: a positive multiple" create --epc vepc.0 \
		--pool "$tmp/pool" --pool-size 0 || return 1
	rejects 2 "--pool pool: an absolute directory path" create --epc vepc.0 \
		--pool pool --pool-size 1G || return 1
	rejects 2 "no such directory (create it first" create --epc vepc.0 \
		--pool "$tmp/nope" --pool-size 1G || return 1
	rejects 2 "no such directory" create --epc vepc.0 \
		--pool "$tmp/dev/disk.img" --pool-size 1G || return 1
	rejects 2 "at most 255 characters" create --epc vepc.0 \
		--pool "/$(printf 'p%.0s' $(seq 255))" --pool-size 1G || return 1
	rejects 2 "--backing (or --pool) is required" create --epc vepc.0 || return 1
	rejects 2 "--block-size and --readonly apply to --backing" create --epc vepc.0 \
		--pool "$tmp/pool" --pool-size 1G --readonly || return 1
	# a pool alone: no namespace 1
	local out s=$tmp/cfs/subsystems
	out=$("$tool" create --epc vepc.0 --pool "$tmp/pool" --pool-size 64G --name p) || return 1
	[ "$out" = "created p on vepc.0 (pool $tmp/pool, 68719476736 bytes)" ] || { echo "$out"; return 1; }
	[ "$(cat "$s/p/pool_size")" = 68719476736 ] && [ "$(cat "$s/p/pool_path")" = "$tmp/pool" ] &&
	[ ! -e "$s/p/namespaces/1" ] && [ "$(cat "$tmp/cfs/functions/p/start")" = 1 ] || return 1
	# the order the module needs: the size, then the path that loads the pool
	NVME_EPF_FAKE_FAIL=subsystems/q/pool_path "$tool" create --epc vepc.0 \
		--pool "$tmp/pool2" --pool-size 1G --name q > "$tmp/rb" 2>&1 && return 1
	grep -q "rolling back" "$tmp/rb" && [ ! -e "$s/q" ] || { cat "$tmp/rb"; return 1; }
	# a pool and namespace 1
	out=$("$tool" create --epc vepc.0 --backing null:1G --pool "$tmp/pool2" --pool-size 1G \
		--name both) || return 1
	[ "$out" = "created both on vepc.0 (null 1073741824 bytes; pool $tmp/pool2, 1073741824 bytes)" ] ||
		{ echo "$out"; return 1; }
	[ "$(cat "$s/both/namespaces/1/enable")" = 1 ] && [ "$(cat "$s/both/pool_size")" = 1073741824 ] ||
		return 1
	rejects 1 "subsystem p already uses that directory" create --epc vepc.0 \
		--pool "$tmp/pool" --pool-size 1G --name again || return 1
	"$tool" status p | grep -qx "  pool $tmp/pool: 68719476736 bytes" || { "$tool" status p; return 1; }
	"$tool" status both | grep -q "namespace 1: null" || return 1
	# kept by save and restore, which write pool_size before pool_path
	local before; before=$(tree_sum)
	"$tool" save >/dev/null && "$tool" destroy --all >/dev/null &&
	"$tool" restore --wait 0 >/dev/null || return 1
	[ "$(tree_sum)" = "$before" ] || { echo "tree differs after restore"; return 1; }
}

# The module's limits (nvme_epf/limits) are the tool's: each value just
# outside is refused before configfs is touched, each value at the edge is
# taken.  A module that publishes no limits refuses by itself: its error is
# reported and the change rolled back.
t_limits() {
	reset_tree
	local n63 n64 r31 r32
	n63=$(printf 'n%.0s' $(seq 63)) n64=${n63}n r31=$(printf 'r%.0s' $(seq 31)) r32=${r31}r
	rejects 2 "--queues 65: the module takes 1-64" create --epc vepc.0 --backing null:1G --queues 65 &&
	rejects 2 "--msix 66: the module takes 0-65" create --epc vepc.0 --backing null:1G --msix 66 &&
	rejects 2 "--mdts-kb 12: the module takes 4-1024, a power of two" create --epc vepc.0 \
		--backing null:1G --mdts-kb 12 &&
	rejects 2 "--mdts-kb 2048" create --epc vepc.0 --backing null:1G --mdts-kb 2048 &&
	rejects 2 "names of 1 to 63 characters" create --epc vepc.0 --backing null:1G --name "$n64" ||
		return 1
	"$tool" create --epc vepc.0 --backing null:1G --name "$n63" --queues 64 --msix 0 \
		--mdts-kb 1024 >/dev/null || return 1
	[ "$(cat "$tmp/cfs/functions/$n63/msix_vectors")" = 0 ] || return 1
	rejects 2 "--nsid 33: the module takes 1-32" add-ns "$n63" --backing null:8M --nsid 33 || return 1
	"$tool" add-ns "$n63" --backing null:8M --nsid 32 >/dev/null || return 1
	rejects 2 "rule $r32: the module takes names of 1 to 31" inject "$n63" add "$r32" queue=io || return 1
	"$tool" inject "$n63" add "$r31" queue=io >/dev/null || return 1
	# An older module: no limits file, its own refusal, rolled back.
	rm "$tmp/cfs/limits"
	local out before; before=$(tree_sum)
	out=$("$tool" create --epc vepc.0 --backing null:1G --name q --queues 65 2>&1) && return 1
	grep -q 'functions/q/max_io_queues = "65": Numerical result out of range (refused by the module' <<< "$out" &&
	grep -q "rolling back" <<< "$out" || { echo "$out"; return 1; }
	[ "$(tree_sum)" = "$before" ] || { echo "not rolled back"; return 1; }
}

# A failure half-way (here: the kernel refusing "start") removes everything
# the create made.
t_rollback() {
	reset_tree
	NVME_EPF_FAKE_FAIL=functions/r0/start "$tool" create --epc vepc.0 \
		--backing null:1G --name r0 > "$tmp/rb" 2>&1 && return 1
	grep -q "rolling back" "$tmp/rb" || return 1
	[ -z "$(find "$tmp/cfs" -mindepth 2)" ] || { find "$tmp/cfs"; return 1; }
	NVME_EPF_FAKE_FAIL=namespaces/1/enable "$tool" create --epc vepc.0 \
		--backing null:1G --name r0 > "$tmp/rb" 2>&1 && return 1
	[ -z "$(find "$tmp/cfs" -mindepth 2)" ]
}

t_ns_start_stop_destroy() {
	reset_tree
	"$tool" create --epc vepc.0 --backing null:1G --name a >/dev/null || return 1
	"$tool" add-ns a --backing "$tmp/dev/disk.img" | grep -q "namespace 2" || return 1
	"$tool" add-ns a --backing null:8M --nsid 7 >/dev/null || return 1
	rejects 1 "already has namespace 7" add-ns a --backing null:8M --nsid 7 || return 1
	"$tool" remove-ns a 2 && [ ! -e "$tmp/cfs/subsystems/a/namespaces/2" ] || return 1
	"$tool" stop a && [ "$(cat "$tmp/cfs/functions/a/start")" = 0 ] || return 1
	"$tool" status a | grep -q "function a: epc vepc.0, subsystem a, stopped" || return 1
	"$tool" start --all && [ "$(cat "$tmp/cfs/functions/a/start")" = 1 ] || return 1
	"$tool" status | grep -q "namespace 7: null 8388608 bytes (enabled)" || return 1
	rejects 1 "no function nope" stop nope || return 1
	"$tool" destroy a && [ -z "$(find "$tmp/cfs" -mindepth 2)" ]
}

make_two() {
	reset_tree
	"$tool" create --epc vepc.0 --backing "$tmp/dev/disk.img" --name disk --queues 4 \
		--model "nvme-epf virtual" --serial 'S/N "7" \x' >/dev/null &&
	"$tool" create --epc vepc.0 --backing null:1G --name zero --dma on >/dev/null &&
	"$tool" add-ns zero --backing null:4M >/dev/null &&
	"$tool" stop zero >/dev/null &&
	# Identity knobs and injection rules (one enabled, one not) are saved too.
	echo 0x0015 > "$tmp/cfs/subsystems/disk/attr_oncs" &&
	echo 1 > "$tmp/cfs/subsystems/disk/attr_vwc" &&
	"$tool" inject zero add slow queue=io opcode=2 action=delay delay_us=500 >/dev/null &&
	"$tool" inject zero add never nsid=99 sct=0 sc=0x04 dnr=1 --disabled >/dev/null
}

# save -> destroy -> restore -> save gives the identical file; a second
# restore changes nothing (same tree digest, "nothing changed").
t_roundtrip() {
	make_two || return 1
	"$tool" save --with-inject >/dev/null || return 1
	local c=$NVME_EPF_CONFIG
	[ "$(stat -c %a "$c")" = 600 ] || { echo "mode $(stat -c %a "$c")"; return 1; }
	[ -z "$(find "$tmp/etc" -name '.config.json.*')" ] || return 1
	"$tool" save --with-inject - | cmp -s - "$c" || { echo "save - differs"; return 1; }
	local before; before=$(tree_sum)
	"$tool" destroy --all >/dev/null && [ -z "$(find "$tmp/cfs" -mindepth 2)" ] || return 1
	"$tool" restore --wait 0 || return 1
	[ "$(tree_sum)" = "$before" ] || { echo "tree differs after restore"; return 1; }
	grep -q '"attr_oncs": "0x0015"' "$c" && grep -q '"attr_vwc": "1"' "$c" &&
	grep -q '"delay_us": "500"' "$c" || { echo "knobs or rules not saved"; cat "$c"; return 1; }
	[ "$(cat "$tmp/cfs/functions/zero/inject/slow/enable")" = 1 ] &&
	[ "$(cat "$tmp/cfs/functions/zero/inject/never/enable")" = 0 ] || return 1
	"$tool" save --with-inject "$tmp/again.json" >/dev/null && cmp "$c" "$tmp/again.json" || return 1
	"$tool" restore | grep -q "already up to date, nothing changed" || return 1
	[ "$(tree_sum)" = "$before" ]
}

# A different live tree converges to the file with --prune: extra objects
# removed, changed attributes put back, missing namespaces created.
t_converge() {
	make_two || return 1
	"$tool" save --with-inject >/dev/null || return 1
	local before; before=$(tree_sum)
	echo 8 > "$tmp/cfs/functions/disk/max_io_queues"
	"$tool" remove-ns zero 2 >/dev/null &&
	"$tool" create --epc vepc.0 --backing null:4M --name extra >/dev/null &&
	"$tool" add-ns disk --backing null:4M >/dev/null &&
	"$tool" inject zero add stray >/dev/null || return 1
	echo 0 > "$tmp/cfs/functions/zero/inject/slow/enable"
	echo 9000 > "$tmp/cfs/functions/zero/inject/slow/delay_us"
	echo auto > "$tmp/cfs/subsystems/disk/attr_vwc"
	local plan; plan=$("$tool" restore --prune --dry-run) || return 1
	grep -q "would remove functions/zero/inject/stray" <<< "$plan" &&
	grep -q 'would set functions/zero/inject/slow/delay_us = "500"' <<< "$plan" &&
	grep -q 'would set subsystems/disk/attr_vwc = "1"' <<< "$plan" &&
	grep -q "would remove functions/extra" <<< "$plan" &&
	grep -q 'would set functions/disk/max_io_queues = "4"' <<< "$plan" || { echo "$plan"; return 1; }
	[ "$(cat "$tmp/cfs/functions/disk/max_io_queues")" = 8 ] || { echo "dry run wrote"; return 1; }
	"$tool" restore --prune > "$tmp/r" || return 1
	grep -qx "removed functions/extra" "$tmp/r" && grep -qx "removed functions/zero/inject/stray" "$tmp/r" &&
	grep -qx "removed subsystems/extra" "$tmp/r" && grep -qx "removed subsystems/disk/namespaces/2" "$tmp/r" ||
		{ echo "removals not named:"; cat "$tmp/r"; return 1; }
	[ "$(tree_sum)" = "$before" ] || { echo "did not converge"; return 1; }
	"$tool" restore | grep -q "nothing changed"
}

# Without --prune, restore (boot, "systemctl reload", a package upgrade that
# restarted the unit) removes nothing the file does not list: a function
# created after the last save keeps running; each change is named.
t_restore_keeps() {
	make_two || return 1
	"$tool" save >/dev/null || return 1
	"$tool" create --epc vepc.0 --backing null:4M --name unsaved >/dev/null &&
	"$tool" add-ns disk --backing null:4M >/dev/null &&
	"$tool" inject zero add stray >/dev/null || return 1
	echo 8 > "$tmp/cfs/functions/disk/max_io_queues"
	local before out; before=$(tree_sum)
	out=$("$tool" restore --dry-run) || { echo "$out"; return 1; }
	! grep -q "would remove" <<< "$out" || { echo "$out"; return 1; }
	[ "$(tree_sum)" = "$before" ] || { echo "dry run wrote"; return 1; }
	out=$("$tool" restore) || { echo "$out"; return 1; }
	grep -qx 'set functions/disk/max_io_queues = "4"' <<< "$out" &&
	grep -q "^restore: kept what .* does not list (--prune removes it):" <<< "$out" &&
	grep -qx "  functions/unsaved" <<< "$out" && grep -qx "  subsystems/unsaved" <<< "$out" &&
	grep -qx "  subsystems/disk/namespaces/2" <<< "$out" &&
	grep -qx "  functions/zero/inject/stray" <<< "$out" || { echo "$out"; return 1; }
	[ "$(cat "$tmp/cfs/functions/unsaved/start")" = 1 ] &&
	[ "$(cat "$tmp/cfs/subsystems/disk/namespaces/2/enable")" = 1 ] &&
	[ -d "$tmp/cfs/functions/zero/inject/stray" ] || { echo "removed something"; return 1; }
	[ "$(cat "$tmp/cfs/functions/disk/max_io_queues")" = 4 ]
}

# Missing controller and backing file: bounded wait, every item reported,
# the rest applied, exit 1.
t_partial() {
	make_two || return 1
	"$tool" save --with-inject >/dev/null && "$tool" destroy --all >/dev/null || return 1
	rm -rf "$tmp/epc/vepc.0" "$tmp/dev/disk.img"
	local t0=$SECONDS
	"$tool" restore --wait 2 > "$tmp/p" 2>&1 && return 1
	[ $((SECONDS - t0)) -ge 2 ] && [ $((SECONDS - t0)) -le 6 ] || { echo "waited $((SECONDS - t0)) s"; return 1; }
	grep -q "waiting up to 2 s for: backing $tmp/dev/disk.img endpoint controller vepc.0" "$tmp/p" &&
	grep -q "3 item(s) could not be applied" "$tmp/p" &&
	grep -q "subsystems/disk/namespaces/1: backing .* does not exist" "$tmp/p" &&
	grep -q "functions/disk: endpoint controller vepc.0 not present, function not restored" "$tmp/p" || { cat "$tmp/p"; return 1; }
	# The null namespaces were applied anyway.
	[ "$(cat "$tmp/cfs/subsystems/zero/namespaces/2/enable")" = 1 ] || return 1
	# The controller shows up: the same file now applies completely.
	mkdir "$tmp/epc/vepc.0" && truncate -s 4M "$tmp/dev/disk.img"
	"$tool" restore > "$tmp/p" 2>&1 || { cat "$tmp/p"; return 1; }
	[ "$(cat "$tmp/cfs/functions/disk/start")" = 1 ]
}

t_restore_files() {
	reset_tree
	# No saved file at the default place: nothing to do, success.
	"$tool" restore | grep -q "nothing to restore" || return 1
	rejects 1 "does not exist" restore "$tmp/missing.json"
}

# The reader accepts what save writes plus plain JSON literals, and names
# the line of anything else.
t_json_reader() {
	reset_tree
	local j=$tmp/j.json
	printf '{"version": 1, "subsystems": {"s": {"attr_model": "m \\u0041\\/x",\n "namespaces": {"1": {"backend": "null", "size": 4096, "enable": true}}}}}' > "$j"
	"$tool" restore --wait 0 "$j" >/dev/null || return 1
	[ "$(cat "$tmp/cfs/subsystems/s/attr_model")" = "m A/x" ] &&
	[ "$(cat "$tmp/cfs/subsystems/s/namespaces/1/enable")" = 1 ] || return 1
	local bad
	reset_tree
	for bad in '{"version": "1", "functions": [1]}|arrays are not part' \
		'{"version": "1",\n "a": "x", "a": "y"}|line 2: duplicate key' \
		'{"version": "1", "x": "a\\qb"}|not a JSON escape' \
		'{"version": "1", "x": "\\ud800"}|unpaired surrogate' \
		'{"version": "1"} trailing|text after the end' \
		'{"version": "1", "x" "y"}|expected ":"' \
		'{"version": "1"|unexpected end of file' \
		'"just a string"|one JSON object' \
		'{"version": "2"}|format version 2' \
		'{"version": "1", "functions": {"f": {"evil": "1"}}}|unknown function setting'; do
		printf "${bad%%|*}" > "$j"
		rejects 1 "${bad#*|}" restore --wait 0 "$j" || return 1
	done
}

# What jq and Python write is read: every escape, \uXXXX to UTF-8; a value
# configfs cannot hold (a newline) fails that item only.
t_json_standard() {
	reset_tree
	local j=$tmp/py.json out
	python3 -c 'import json, sys; json.dump({"version": "1", "subsystems": {
		"s+1": {"attr_model": "caf\u00e9 \U0001F600\tx", "attr_serial": "a\nb",
			"namespaces": {"1": {"backend": "null", "size": 4096, "enable": True}}}}},
		sys.stdout, indent=2)' > "$j" || return 1
	grep -q 'u00e9' "$j" && grep -q '\\n' "$j" || { cat "$j"; return 1; }
	out=$("$tool" restore --wait 0 "$j" 2>&1) && { echo "$out"; return 1; }
	grep -q "subsystems/s+1/attr_serial: control characters" <<< "$out" &&
	grep -q "subsystems/s+1/attr_model: control characters" <<< "$out" &&
	grep -q "1 item(s)\|2 item(s)" <<< "$out" || { echo "$out"; return 1; }
	[ "$(cat "$tmp/cfs/subsystems/s+1/namespaces/1/enable")" = 1 ] || return 1
	python3 -c 'import json, sys; json.dump({"version": "1", "subsystems": {
		"s": {"attr_model": "caf\u00e9 \U0001F600"}}}, sys.stdout)' > "$j" || return 1
	"$tool" restore --wait 0 "$j" >/dev/null || return 1
	[ "$(cat "$tmp/cfs/subsystems/s/attr_model")" = "café 😀" ]
}

# Names the kernel accepts but the tool would not create are saved,
# restored, started, stopped and destroyed; a name the file cannot hold
# makes save fail without writing anything.
t_any_name() {
	reset_tree
	local f=$tmp/cfs/functions/my+disk s=$tmp/cfs/subsystems/my+disk
	mkdir -p "$s/namespaces/1" "$f/inject"
	echo null > "$s/namespaces/1/backend"; echo 4096 > "$s/namespaces/1/size"
	echo 1 > "$s/namespaces/1/enable"; echo vepc.0 > "$f/epc"; echo my+disk > "$f/subsystem"
	echo 1 > "$f/start"
	"$tool" save >/dev/null || return 1
	grep -q '"my+disk": {' "$NVME_EPF_CONFIG" || { cat "$NVME_EPF_CONFIG"; return 1; }
	"$tool" restore --prune | grep -q "nothing changed" || return 1
	"$tool" stop my+disk && [ "$(cat "$f/start")" = 0 ] || return 1
	"$tool" start my+disk && [ "$(cat "$f/start")" = 1 ] || return 1
	"$tool" status my+disk | grep -q "function my+disk:" || return 1
	"$tool" destroy my+disk >/dev/null && [ ! -e "$f" ] && [ ! -e "$s" ] || return 1
	"$tool" restore >/dev/null && [ "$(cat "$f/start")" = 1 ] || return 1
	mkdir -p "$tmp/cfs/subsystems/my disk"
	cp "$NVME_EPF_CONFIG" "$tmp/before"
	rejects 1 "cannot save subsystems/my disk" save || return 1
	cmp -s "$tmp/before" "$NVME_EPF_CONFIG"
}

# save keeps one backup, refuses to replace a configuration with an empty
# tree unless --force, and saves injection rules only with --with-inject.
t_save_safety() {
	make_two || return 1
	"$tool" save >/dev/null || return 1
	! grep -q inject "$NVME_EPF_CONFIG" || { echo "rules saved without --with-inject"; return 1; }
	"$tool" save --with-inject >/dev/null && grep -q '"inject": {' "$NVME_EPF_CONFIG" || return 1
	grep -q inject "$NVME_EPF_CONFIG.bak" && return 1
	cp "$NVME_EPF_CONFIG" "$tmp/good"
	"$tool" destroy --all >/dev/null || return 1
	rejects 1 "not replaced by an empty configuration" save || return 1
	cmp -s "$tmp/good" "$NVME_EPF_CONFIG" || { echo "file changed"; return 1; }
	"$tool" save --force >/dev/null || return 1
	cmp -s "$tmp/good" "$NVME_EPF_CONFIG.bak" && ! grep -q functions "$NVME_EPF_CONFIG"
}

# One pass moves a function to another subsystem (the old one goes with
# --prune once nothing names it); namespaces come and go while the
# function stays started.
t_restore_live() {
	reset_tree
	"$tool" create --epc vepc.0 --backing null:1G --name f0 >/dev/null || return 1
	"$tool" add-ns f0 --backing null:8M >/dev/null && "$tool" save >/dev/null || return 1
	"$tool" remove-ns f0 2 && "$tool" add-ns f0 --backing null:4M --nsid 3 >/dev/null || return 1
	local out
	out=$("$tool" restore --prune 2>&1) || { echo "$out"; return 1; }
	! grep -q "functions/f0/start" <<< "$out" || { echo "link bounced: $out"; return 1; }
	grep -qx "created subsystems/f0/namespaces/2" <<< "$out" &&
	grep -qx "removed subsystems/f0/namespaces/3" <<< "$out" || { echo "$out"; return 1; }
	cat > "$tmp/move.json" <<-EOF
	{"version": "1",
	 "functions": {"f0": {"epc": "vepc.0", "start": "1", "subsystem": "s1"}},
	 "subsystems": {"s1": {"namespaces": {"1": {"backend": "null", "size": "8388608", "enable": "1"}}}}}
	EOF
	out=$("$tool" restore --prune "$tmp/move.json" 2>&1) || { echo "$out"; return 1; }
	[ "$(cat "$tmp/cfs/functions/f0/subsystem")" = s1 ] && [ ! -e "$tmp/cfs/subsystems/f0" ] &&
	[ "$(cat "$tmp/cfs/functions/f0/start")" = 1 ] || { echo "$out"; return 1; }
	"$tool" restore --prune "$tmp/move.json" | grep -q "nothing changed"
}

# Command-line conventions: --json, --opt=value, "restore -", usage errors
# (exit 2, nothing changed), missing objects (exit 1), errors on stderr,
# sizes that would overflow, a dry run that mounts and loads nothing.
t_cli() {
	reset_tree
	"$tool" create --epc=vepc.0 --backing=null:1G --name=f0 --queues=4 >/dev/null || return 1
	[ "$(cat "$tmp/cfs/functions/f0/max_io_queues")" = 4 ] || return 1
	local out
	out=$("$tool" status --json) && python3 -c 'import json, sys
d = json.load(sys.stdin)
assert d["functions"]["f0"]["start"] == "1" and "f0" in d["subsystems"], d' <<< "$out" ||
		{ echo "status --json: $out"; return 1; }
	out=$("$tool" list-controllers --json) && python3 -c 'import json, sys
d = json.load(sys.stdin)
assert d["controllers"]["vepc.0"]["used_by"] == "f0", d' <<< "$out" ||
		{ echo "list-controllers --json: $out"; return 1; }
	out=$("$tool" status nosuch 2>/dev/null); [ $? = 1 ] && [ -z "$out" ] || { echo "status nosuch: $out"; return 1; }
	rejects 2 "only one name" status f0 f1 || return 1
	rejects 2 "unknown option --bogus" status --bogus || return 1
	rejects 2 "unexpected argument" list-controllers extra || return 1
	rejects 2 "unexpected argument" doctor extra || return 1
	rejects 2 "unknown option --bogus" stop --bogus || return 1
	rejects 2 "--all takes no names" stop --all f0 || return 1
	rejects 2 "unknown option -x" destroy -x || return 1
	rejects 2 "expected SUBSYSTEM NSID" remove-ns f0 1 2 || return 1
	rejects 2 "expected a function name" stats f0 extra || return 1
	rejects 2 "unknown option --bogus" save --bogus || return 1
	rejects 2 "size must be" create --epc vepc.0 --backing null:99999999999999T || return 1
	rejects 2 "size must be" create --epc vepc.0 --backing null:999999999999999 || return 1
	"$tool" save >/dev/null || return 1
	"$tool" restore --wait=0 | grep -q "nothing changed" || return 1
	"$tool" save - | "$tool" restore - | grep -q "nothing changed" || return 1
	out=$(NVME_EPF_EPC_CLASS=$tmp/none "$tool" list-controllers 2>/dev/null)
	[ $? = 1 ] && [ -z "$out" ] || { echo "list-controllers error on stdout: $out"; return 1; }
	# A dry run on a machine without the module: no mount, no modprobe.
	mkdir -p "$tmp/shim"
	printf '#!/bin/sh\necho "$0 $*" >> %s/shim.log\nexit 1\n' "$tmp" > "$tmp/shim/mount"
	cp "$tmp/shim/mount" "$tmp/shim/modprobe"
	chmod +x "$tmp/shim/mount" "$tmp/shim/modprobe"
	out=$(env -u NVME_EPF_CONFIGFS PATH="$tmp/shim:$PATH" "$tool" restore --dry-run --wait 0 \
		"$NVME_EPF_CONFIG" 2>&1) || { echo "$out"; return 1; }
	[ ! -e "$tmp/shim.log" ] || { echo "dry run ran:"; cat "$tmp/shim.log"; return 1; }
	grep -q "would create functions/f0" <<< "$out" || { echo "$out"; return 1; }
}

# Restore driven by controllers appearing: --no-wait-epc restores what it
# can at once and leaves a missing controller's functions to the udev rule;
# --epc restores one controller's functions (and their subsystems) only.
# stop --all --release closes every backing device and file.
t_restore_epc() {
	reset_tree
	mkdir "$tmp/epc/vepc.1"
	"$tool" create --epc vepc.0 --backing null:1G --name a >/dev/null &&
	"$tool" create --epc vepc.1 --backing "$tmp/dev/disk.img" --name b >/dev/null &&
	"$tool" save >/dev/null && "$tool" destroy --all >/dev/null || return 1
	rmdir "$tmp/epc/vepc.1"
	local out t0=$SECONDS
	out=$("$tool" restore --wait 30 --no-wait-epc 2>&1) || { echo "$out"; return 1; }
	[ $((SECONDS - t0)) -lt 20 ] || { echo "waited $((SECONDS - t0)) s for vepc.1"; return 1; }
	grep -q "functions/b waits for endpoint controller vepc.1" <<< "$out" || { echo "$out"; return 1; }
	[ "$(cat "$tmp/cfs/functions/a/start")" = 1 ] && [ ! -e "$tmp/cfs/functions/b" ] || return 1
	# A dry run plans with what is there: it does not wait for vepc.1.
	t0=$SECONDS
	out=$("$tool" restore --dry-run --wait 30 2>&1)
	[ $((SECONDS - t0)) -lt 20 ] && grep -q "endpoint controller vepc.1 not present" <<< "$out" ||
		{ echo "dry run waited $((SECONDS - t0)) s: $out"; return 1; }
	mkdir "$tmp/epc/vepc.1"
	rm -rf "$tmp/cfs/functions/a"
	out=$("$tool" restore --epc vepc.1 --wait 0 2>&1) || { echo "$out"; return 1; }
	[ "$(cat "$tmp/cfs/functions/b/start")" = 1 ] && [ ! -e "$tmp/cfs/functions/a" ] ||
		{ echo "--epc restored the wrong functions: $out"; return 1; }
	"$tool" restore --epc vepc.9 | grep -q "no function .* uses endpoint controller vepc.9" || return 1
	rejects 2 "--prune applies to the whole file" restore --epc vepc.1 --prune || return 1
	"$tool" stop --all --release || return 1
	[ "$(cat "$tmp/cfs/functions/b/start")" = 0 ] &&
	[ "$(cat "$tmp/cfs/subsystems/b/namespaces/1/enable")" = 0 ] &&
	[ "$(cat "$tmp/cfs/subsystems/a/namespaces/1/enable")" = 0 ] || { echo "not released"; return 1; }
	rejects 2 "--release goes with --all" stop b --release || return 1
	"$tool" restore >/dev/null && [ "$(cat "$tmp/cfs/subsystems/b/namespaces/1/enable")" = 1 ]
}

# The bash completion offers commands, options and existing names.
t_completion() {
	reset_tree
	"$tool" create --epc vepc.0 --backing null:1G --name f0 >/dev/null || return 1
	local c=${NVME_EPF_COMPLETION:-$top/scripts/nvme-epf.bash-completion}
	comp() {	# comp WORD...: what completing the last word offers
		bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nvme_epf
			printf "%s\n" "${COMPREPLY[@]}"' comp "$c" nvme-epf "$@" | sort | tr '\n' ' '
	}
	[ "$(comp st)" = "start stats status stop " ] || { echo "commands: $(comp st)"; return 1; }
	[ "$(comp stop "")" = "--all f0 " ] || { echo "stop: $(comp stop "")"; return 1; }
	[ "$(comp create --epc "")" = "vepc.0 " ] || { echo "--epc: $(comp create --epc "")"; return 1; }
	mkdir -p "$tmp/pooldir"
	[ "$(comp create --pool "$tmp/poold")" = "$tmp/pooldir " ] ||
		{ echo "--pool: $(comp create --pool "$tmp/poold")"; return 1; }
	[ "$(comp status --j)" = "--json " ] || { echo "status: $(comp status --j)"; return 1; }
	[ "$(comp restore --p)" = "--prune " ] || { echo "restore: $(comp restore --p)"; return 1; }
}

# trace works in its own ftrace instance and leaves global tracing as it
# found it (fake tracefs: the instance gets a copy of the events and pipe).
t_trace() {
	local tr=$tmp/tracing ev out
	rm -rf "$tr"
	for ev in cmd_done ctrl queue link cmd_fetch irq; do
		mkdir -p "$tr/events/nvme_epf/nvme_epf_$ev"
		echo 0 > "$tr/events/nvme_epf/nvme_epf_$ev/enable"
	done
	mkdir "$tr/instances"
	echo 0 > "$tr/tracing_on"
	printf '%s\n' ' kworker/0:1-12 [000] ..... 100.000001: nvme_epf_link: f0 up' \
		' kworker/0:1-12 [000] ..... 100.000002: nvme_epf_ctrl: f1 cc=0x1' > "$tr/trace_pipe"
	out=$(NVME_EPF_TRACEFS=$tr timeout 10 "$tool" trace f0) || { echo "$out"; return 1; }
	[ "$out" = "100.000001 link f0 up" ] || { echo "output: $out"; return 1; }
	[ "$(cat "$tr/tracing_on")" = 0 ] || { echo "global tracing_on changed"; return 1; }
	[ -z "$(cat "$tr"/events/nvme_epf/*/enable | grep -v 0)" ] || { echo "global events enabled"; return 1; }
	[ -z "$(ls "$tr/instances")" ] || { echo "instance left: $(ls "$tr/instances")"; return 1; }
}

# Strings with quotes and backslashes survive save and restore.
t_escaping() {
	make_two || return 1
	"$tool" save --with-inject >/dev/null || return 1
	grep -qF '"attr_serial": "S/N \"7\" \\x"' "$NVME_EPF_CONFIG" || return 1
	"$tool" destroy --all >/dev/null && "$tool" restore >/dev/null || return 1
	[ "$(cat "$tmp/cfs/subsystems/disk/attr_serial")" = 'S/N "7" \x' ]
}

# doctor explains a kernel without the endpoint framework, no controller
# and x86 tools in an ARM headers tree.
t_doctor() {
	reset_tree
	local k=$tmp/kdir
	mkdir -p "$k/scripts/basic"
	touch "$k/Makefile"
	cp /bin/true "$k/scripts/basic/fixdep"	# an ELF of this (x86-64) machine
	printf 'CONFIG_CONFIGFS_FS=y\n# CONFIG_PCI_ENDPOINT is not set\n' > "$tmp/kconfig"
	rmdir "$tmp/epc/vepc.0"
	local out
	out=$(NVME_EPF_KCONFIG=$tmp/kconfig NVME_EPF_KDIR=$k NVME_EPF_MACHINE=aarch64 \
		NVME_EPF_MODPARAMS=$tmp/none "$tool" doctor) && return 1
	grep -q "FAIL.*lacks CONFIG_PCI_ENDPOINT" <<< "$out" &&
	grep -q "FAIL.*no PCIe endpoint controller" <<< "$out" &&
	grep -q "FAIL.*fixdep is a x86_64 program but this machine is aarch64" <<< "$out" &&
	grep -q "warn.*no DMA channels" <<< "$out" &&
	grep -q "warn.*load it with dma_engine=auto" <<< "$out" || { echo "$out"; return 1; }
	printf 'CONFIG_CONFIGFS_FS=y\nCONFIG_PCI_ENDPOINT=y\nCONFIG_DMA_ENGINE=y\n' > "$tmp/kconfig"
	mkdir "$tmp/epc/vepc.0" "$tmp/dma/dma0chan0"
	out=$(NVME_EPF_KCONFIG=$tmp/kconfig NVME_EPF_KDIR=$k NVME_EPF_MACHINE=$(uname -m) \
		"$tool" doctor)
	grep -q "ok.*PCI endpoint framework" <<< "$out" &&
	grep -q "ok.*1 endpoint controller(s): vepc.0" <<< "$out" &&
	grep -q "ok.*headers .* tools run here" <<< "$out" &&
	grep -q "ok.*1 DMA channel" <<< "$out" || { echo "$out"; return 1; }
}

# stats --costs on a fake debugfs: raw, per I/O (sums divided by cmds_io,
# _max counters not), reset, and the refusals.
t_costs() {
	local d=$tmp/debugfs f out
	export NVME_EPF_DEBUGFS=$d
	f=$d/nvme_epf/f0/costs
	mkdir -p "${f%/*}"
	printf 'cmds_io 4\ncmds_admin 1\nwin_read_loads 34\ndata_segs_max 7\nalloc_bytes 8589934596\n' > "$f"
	out=$("$tool" stats --costs f0) && [ "$out" = "$(cat "$f")" ] || { echo "raw: $out"; return 1; }
	out=$("$tool" stats --costs --per-io f0) || { echo "per-io failed: $out"; return 1; }
	[ "$out" = "# per I/O command (4 completed); _max: per command
cmds_io 4
cmds_admin 0.250
win_read_loads 8.500
data_segs_max 7
alloc_bytes 2147483649.000" ] || { echo "per-io: $out"; return 1; }
	"$tool" stats --costs --reset f0 && [ "$(cat "$f")" = 0 ] || { echo "reset wrote: $(cat "$f")"; return 1; }
	printf 'cmds_io 0\n' > "$f"
	out=$("$tool" stats --costs --per-io f0 2>&1) && return 1
	grep -q "nothing to divide by" <<< "$out" || { echo "zero: $out"; return 1; }
	rejects 2 "go with --costs" stats --per-io f0 &&
	rejects 2 "not both" stats --costs --per-io --reset f0 &&
	rejects 2 "expected a function name" stats --costs || return 1
	out=$("$tool" stats --costs f1 2>&1) && return 1
	grep -q "f1: no cost ledger" <<< "$out" || { echo "missing: $out"; return 1; }
}

# The units wait for the network only when a saved namespace is backed over
# it: saving the default file writes their drop-ins for a partition of an
# NVMe/TCP namespace and for an MD device on an NBD disk, and removes them
# when only local backing is left (NVMe over PCIe, a local file); saving
# another file leaves the units alone.  Block devices: a fake sysfs, laid
# out as the kernel's (class/block links, device -> controller, slaves/).
t_network_order() {
	reset_tree
	local s=$tmp/sys/devices u=$tmp/systemd f1 f2 out b
	f1=$u/nvme-epf.service.d/network.conf f2=$u/nvme-epf-restore@.service.d/network.conf
	mkdir -p "$s/nvme1/nvme1n1/nvme1n1p1" "$s/nvme0/nvme0n1" "$s/md0/slaves" "$s/nbd0" \
		"$tmp/sysblock" "$u"
	echo tcp > "$s/nvme1/transport"
	echo pcie > "$s/nvme0/transport"
	: > "$s/nvme1/nvme1n1/nvme1n1p1/partition"
	ln -s .. "$s/nvme1/nvme1n1/device"
	ln -s .. "$s/nvme0/nvme0n1/device"
	ln -s ../../nbd0 "$s/md0/slaves/nbd0"
	for b in nvme1/nvme1n1 nvme1/nvme1n1/nvme1n1p1 nvme0/nvme0n1 md0 nbd0; do
		ln -s "$s/$b" "$tmp/sysblock/${b##*/}"
		truncate -s 4M "$tmp/dev/${b##*/}"
	done
	"$tool" create --epc vepc.0 --backing "$tmp/dev/nvme0n1" --name pcie >/dev/null &&
	"$tool" create --epc vepc.0 --backing "$tmp/dev/disk.img" --name file >/dev/null &&
	out=$("$tool" save) || return 1
	[ ! -e "$u/nvme-epf.service.d" ] && [ ! -e "$u/nvme-epf-restore@.service.d" ] ||
		{ echo "local backing: $(find "$u")"; return 1; }
	"$tool" create --epc vepc.0 --backing "$tmp/dev/nvme1n1p1" --name tcp >/dev/null &&
	out=$("$tool" save) || return 1
	grep -q "nvme-epf.service waits for network-online.target" <<< "$out" &&
	grep -q "nvme-epf-restore@.service waits for network-online.target" <<< "$out" &&
	grep -qx "Wants=network-online.target" "$f1" &&
	grep -qx "After=network-online.target remote-fs.target nvmf-autoconnect.service" "$f1" &&
	grep -q "subsystems/tcp/namespaces/1: $tmp/dev/nvme1n1p1 (nvme1n1 is NVMe over tcp)" "$f1" &&
	cmp -s "$f1" "$f2" || { echo "$out"; cat "$f1"; return 1; }
	"$tool" destroy tcp >/dev/null && "$tool" save "$tmp/other.json" >/dev/null &&
		[ -e "$f1" ] || { echo "saving another file changed the units"; return 1; }
	out=$("$tool" save) || return 1
	[ ! -e "$u/nvme-epf.service.d" ] && [ ! -e "$u/nvme-epf-restore@.service.d" ] &&
		grep -q "removed $f1" <<< "$out" || { echo "$out"; find "$u"; return 1; }
	"$tool" create --epc vepc.0 --backing "$tmp/dev/md0" --name md >/dev/null &&
		"$tool" save >/dev/null || return 1
	grep -q "md/namespaces/1: $tmp/dev/md0 (nbd0 is an NBD device)" "$f1"
}

# save reads the module's listing: a writable attribute the tool does not
# know (a newer module's setting) makes it fail, naming it, and write
# nothing; read-only files (counters) are not settings; status --json still
# shows the rest.
t_save_unknown_setting() {
	reset_tree
	local out
	"$tool" create --epc vepc.0 --backing null:1G --name f0 >/dev/null || return 1
	echo 7 > "$tmp/cfs/functions/f0/counter" && chmod 0444 "$tmp/cfs/functions/f0/counter"
	"$tool" save >/dev/null && [ -s "$tmp/etc/config.json" ] || { echo "read-only file refused"; return 1; }
	rm -f "$tmp/etc/config.json"
	echo 1 > "$tmp/cfs/subsystems/f0/namespaces/1/new_knob"
	out=$("$tool" save 2>&1) && { echo "saved: $out"; return 1; }
	grep -q "cannot save subsystems/f0/namespaces/1/new_knob: a setting of the module that this nvme-epf does not know" <<< "$out" &&
		[ ! -e "$tmp/etc/config.json" ] || { echo "$out"; return 1; }
	"$tool" status --json | grep -q '"f0"'
}

# The tool and its libraries: next to it (source tree), else installed.
t_shellcheck() {
	command -v shellcheck >/dev/null || { echo "shellcheck missing"; return 1; }
	local lib=${tool%/*}/lib
	[ -f "$lib/common.sh" ] || lib=/usr/lib/nvme-epf
	shellcheck "$tool" "$lib"/*.sh "${NVME_EPF_COMPLETION:-$top/scripts/nvme-epf.bash-completion}"
}

check validation t_validation
check module-limits t_limits
check help t_help
check create t_create
check create-pool t_create_pool
check rollback t_rollback
check ns-start-stop-destroy t_ns_start_stop_destroy
check save-restore-roundtrip t_roundtrip
check restore-converges t_converge
check restore-keeps-unlisted t_restore_keeps
check restore-partial-wait t_partial
check restore-missing-file t_restore_files
check json-reader t_json_reader
check json-escaping t_escaping
check json-standard t_json_standard
check any-object-name t_any_name
check save-backup-empty-inject t_save_safety
check restore-live-move-and-namespaces t_restore_live
check cli-conventions t_cli
check trace-own-instance t_trace
check bash-completion t_completion
check restore-per-controller t_restore_epc
check doctor t_doctor
check stats-costs t_costs
check save-network-order t_network_order
check save-unknown-setting t_save_unknown_setting
check shellcheck t_shellcheck
exit $failed
