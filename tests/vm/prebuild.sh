#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Start building, in the background, the guest kernels that come from
# Debian's linux-source (6.1, 5.10) among the suites given, so that a cold
# build overlaps the suites that run first.  Returns at once; the build
# runs at nice 19 and logs to $NEPF_BUILD/vm/prebuild-<suite>.log.  The
# suite's own run.sh takes the same kbuild.sh lock, so it waits for this
# build (or finds the kernel cached) instead of starting a second one.
#
#   tests/vm/prebuild.sh SUITE...
set -u
. "$(dirname "$0")/../infra/common.sh"

mkdir -p "$NEPF_BUILD/vm"
for suite in "$@"; do
	nepf_kguest_suite "$suite" || continue
	log=$NEPF_BUILD/vm/prebuild-$suite.log
	nepf_log "building the $suite guest kernel in the background (log: $log)"
	nohup nice -n 19 "$NEPF_TOP/tests/vm/kernel.sh" "$suite" \
		> "$log" 2>&1 < /dev/null &
done
exit 0
