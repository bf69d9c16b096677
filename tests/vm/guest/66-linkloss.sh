#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Link loss under I/O, again and again (issue 16, items 0 and 7).  A
# surprise link down and up with fio verify and an O_DSYNC journal running
# against a backend that holds every command for a while (null_blk timer
# completions), so commands are in flight at every cut; several down
# times, from an immediate flap to 2 s.  Nothing fetched before a link
# loss may reach host memory afterwards: vepc's checking IOMMU must refuse
# nothing, no read may return another block's data, every acknowledged
# journal write must survive, and the namespace must come back.
# (66-linkstall: item 7, DMA that never completes and the function stop.)
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

V=/sys/kernel/debug/vepc
if [ ! -d /sys/module/nvme_epf ] || [ ! -d "$V" ]; then
	skip linkloss "nvme_epf.ko or vepc.ko not loaded"
	exit 0
fi
stat_of() { awk -v k="$1" '$1 == k {print $2}' "$V/stats"; }

# Start the journal and fio on the namespace, and return once fio has had
# it open for a second.  Under TCG fio can take more than 1.5 s to open its
# file: a cut after a fixed delay then removed the device first, and the
# cycle ran without I/O ("failed opening blockdev", or "file creation
# disallowed" once the node was gone).  They use a node of our own, made
# from sysfs's device number, so that a late removal of the last cycle's
# disk under the same name cannot take it away.  If fio still fails to
# open it, look again (up to 3 times, each printed).
start_io() {
	local try n
	for try in 1 2 3; do
		DEV=$(wait_for_nvme 30) || return 1
		n=${DEV#/dev/}
		rm -f /tmp/nepf-ll-dev
		node_from_sysfs "$n" /tmp/nepf-ll-dev && DEV=/tmp/nepf-ll-dev
		journal_start
		# continue_on_error=io: keep going (and verifying) after the
		# I/O errors of the loss; a verify mismatch still ends it.
		fio_verify "$name" "$DEV" --time_based --runtime=4 \
			--continue_on_error=io &
		fw=$!
		fio_wait_open "$DEV" "$fw"
		sleep 1
		fio_no_start "$name" || return 0
		wait "$fw"
		journal_stop
		echo "$name: fio could not open $n (try $try): $(grep -hE 'failed|disallowed' "/tmp/fio.$name.err" | head -n 1)" | indent
	done
	return 0	# linkloss-io-across-loss fails
}

# --- repeated link loss under I/O
# Each command spends 2 ms in null_blk: with 2 fio jobs x 8 + the journal,
# about 17 commands are in flight whenever the link goes.
LOOPS=${LINKLOSS_LOOPS:-1}
DOWN_TIMES=${LINKLOSS_DOWN:-"0 0.05 0.3 1 2"}
r0=$(cat "$V/refusals")
cycles=0 lost=0 wrong=0 notback=0 journal_bad=0 noio=0
export NEPF_NULLB_OPTS="irqmode=2 completion_nsec=2000000"
if up queues=4; then
	for t in $DOWN_TIMES; do
		for ((k = 1; k <= LOOPS; k++)); do
			name=linkloss-$t-$k
			rb=$(cat "$V/refusals") sb=$(stat_of stale_epoch)
			start_io || break 2
			echo 0 > "$V/link"
			sleep "$t"
			echo 1 > "$V/link"
			t0=$(uptime_s)
			cycles=$((cycles + 1))
			if DEV=$(wait_for_nvme 30); then
				back="back after $(secs_since "$t0") s"
			else
				notback=$((notback + 1))
				back="NOT back within 30 s"
			fi
			journal_stop
			wait "$fw"
			io="fio ran"
			if fio_no_start "$name"; then
				noio=$((noio + 1))
				io="fio never started: $(grep -hE 'failed|disallowed' "/tmp/fio.$name.err" | head -n 1)"
			fi
			m=$(fio_mismatches "$name")
			wrong=$((wrong + m))
			# Which blocks: the offsets say where the data came from.
			[ "$m" = 0 ] || grep -hE '^verify: |bad (magic|header)' \
				"/tmp/fio.$name.err" "/tmp/fio.$name" | head -n 4 | indent
			r=$(( $(cat "$V/refusals") - rb ))
			lost=$((lost + r))
			j="journal not checked"
			if [ -b "$DEV" ]; then
				if journal_check > /tmp/journal.log 2>&1; then
					j=$(tail -n 1 /tmp/journal.log)
				else
					journal_bad=$((journal_bad + 1))
					j="journal: $(tail -n 1 /tmp/journal.log)"
				fi
			fi
			st=$(( $(stat_of stale_epoch) - sb ))
			echo "down ${t}s #$k: $back, $r refusals, $m wrong reads, $st stale transfers dropped, $j, $io" | indent
			[ -b "$DEV" ] || break 2
		done
	done
	[ "$notback" = 0 ] && pass linkloss-namespace-back ||
		fail linkloss-namespace-back "$notback of $cycles cycles"
	r=$(( $(cat "$V/refusals") - r0 ))
	[ "$r" = 0 ] && pass linkloss-no-refusals ||
		fail linkloss-no-refusals "$r refused host accesses in $cycles cycles"
	# Without I/O across the loss the other cases prove nothing.
	[ "$noio" = 0 ] && [ "$cycles" -gt 0 ] && pass linkloss-io-across-loss ||
		fail linkloss-io-across-loss "fio did no I/O in $noio of $cycles cycles"
	[ "$wrong" = 0 ] && pass linkloss-no-wrong-data ||
		fail linkloss-no-wrong-data "$wrong reads returned other data"
	[ "$journal_bad" = 0 ] && [ "$cycles" -gt 0 ] && pass linkloss-journal-intact ||
		fail linkloss-journal-intact "$journal_bad of $cycles cycles"
	echo "$cycles cycles; vepc: $(tr '\n' ' ' < "$V/stats")" | indent
	[ -b "$DEV" ] && fio_ok linkloss-after "$DEV"
else
	fail linkloss-up
fi
nepf_down

unset NEPF_NULLB_OPTS
nepf_exit
