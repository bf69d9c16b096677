#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs last: after every other test has torn its device down, nvme_epf must
# unload cleanly (nothing left pinned, its configfs root gone), load again
# and still serve I/O.  dmesg-clean on the host side then covers warnings
# from the unload.  The module is left loaded for GUEST_SCRIPT.
# shellcheck source=tests/vm/guest/lib.sh
. "${NEPF_LIB:-/nepf/guest/lib.sh}"

if ! lsmod | grep -q '^nvme_epf '; then
	skip unload-nvme-epf "nvme_epf is not loaded"
	nepf_exit
fi
# Whatever an earlier script left behind is removed first (and shown), so
# this test judges the unload, not the other scripts' teardown.
leftovers() {
	local f s ns
	for f in "$NEPF_CFS"/functions/*/; do
		[ -d "$f" ] || continue
		echo "left over: $f"
		echo 0 > "$f/start"; rmdir "$f"
	done
	for s in "$NEPF_CFS"/subsystems/*/; do
		[ -d "$s" ] || continue
		echo "left over: $s"
		for ns in "$s"namespaces/*/; do
			[ -d "$ns" ] || continue
			echo 0 > "$ns/enable"; rmdir "$ns"
		done
		rmdir "$s"
	done
}
leftovers | indent

# run.sh boots with slub_debug on our command cache, so that a command
# freed twice, used after free or still allocated at unload is a splat.
slub_debug_on() {
	local a
	for a in red_zone poison store_user; do
		grep -qx 1 "/sys/kernel/slab/nepf_cmd_ctx/$a" || { echo "$a off"; return 1; }
	done
}
check unload-cmd-cache-slub-debug slub_debug_on

# Busy while configured: configfs items pin the module, so an unload
# attempt with a running device must fail and leave the device working.
if nepf_up backend=null size=64M && dev=$(wait_for_nvme 30); then
	check unload-refused-while-running sh -c "! modprobe -r nvme_epf 2>/dev/null"
	check unload-device-survives dd if="$dev" of=/dev/null bs=4k count=64 iflag=direct
else
	fail unload-refused-while-running "device did not come up"
fi
nepf_down
check unload-nvme-epf modprobe -r nvme_epf
check unload-configfs-root-gone test ! -d "$NEPF_CFS"
check unload-reload modprobe nvme_epf
if nepf_up backend=null size=64M && dev=$(wait_for_nvme 30); then
	check unload-reload-io dd if="$dev" of=/dev/null bs=4k count=64 iflag=direct
else
	fail unload-reload-io "device did not come back after reload"
fi
nepf_down
check unload-with-device-gone modprobe -r nvme_epf
check unload-final-reload modprobe nvme_epf
nepf_exit
