#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the package test root (tests/pkg/dkms-root.sh), where
# tests/pkg/fake-systemctl stands in for systemd, against a fake configfs:
#
#   live-upgrade.sh upgrade CMD...   with nvme-epf.service active, a saved
#       function and a live one that was never saved, run CMD (the package
#       upgrade).  Pass: the service was neither stopped nor started, both
#       functions still exist and are started, configfs is unchanged.
#   live-upgrade.sh reload           `systemctl reload nvme-epf` applies the
#       saved file (ExecReload) and says what it changed.
#
# Prints what went wrong; exit 1 on failure.
set -u
# shellcheck disable=SC2015  # "a && b || die": die is meant when either fails
log=/var/log/fake-systemctl.log
base=/srv/nepf
cat > /etc/fake-systemd.env <<EOF
NVME_EPF_CONFIGFS=$base/cfs
NVME_EPF_FAKE=1
NVME_EPF_EPC_CLASS=$base/epc
NVME_EPF_DMA_CLASS=$base/dma
EOF
set -a
. /etc/fake-systemd.env
set +a

die() { echo "live-upgrade: $*"; [ ! -s "$log" ] || sed 's/^/    log: /' "$log"; exit 1; }
tree() { (cd "$base/cfs" && find . -type f | sort | while read -r f; do echo "$f=$(cat "$f")"; done); }
started() { [ "$(cat "$base/cfs/functions/$1/start" 2>/dev/null)" = 1 ]; }

case ${1:-} in
upgrade)
	shift
	[ $# -gt 0 ] || die "no upgrade command"
	rm -rf "$base" /etc/nvme-epf /run/fake-systemd
	mkdir -p "$base"/cfs/functions "$base"/cfs/subsystems "$base"/epc/vepc.0 "$base"/dma \
		/run/systemd/system
	: > "$log"
	nvme-epf create --epc vepc.0 --backing null:1G --name saved >/dev/null &&
		nvme-epf save >/dev/null || die "cannot create and save a function"
	# As on a board: the package enabled the unit, boot started it.
	[ "$(systemctl is-enabled nvme-epf.service)" = enabled ] || die "the package did not enable the unit"
	systemctl start nvme-epf.service && systemctl --quiet is-active nvme-epf.service ||
		die "the service did not start"
	nvme-epf create --epc vepc.0 --backing null:64M --name unsaved >/dev/null ||
		die "cannot create the unsaved function"
	before=$(tree)
	: > "$log"
	echo "upgrading: $*"
	"$@" || die "the upgrade failed"
	echo "systemctl calls during the upgrade:"
	sed 's/^/    /' "$log"
	! grep -q '^exec Exec' "$log" || die "the upgrade ran the service's commands"
	systemctl --quiet is-active nvme-epf.service || die "the service is no longer active"
	started saved && started unsaved || die "a function was stopped or removed: $(ls "$base/cfs/functions")"
	[ "$(tree)" = "$before" ] || die "configfs changed: $(diff <(echo "$before") <(tree))"
	;;
reload)
	started saved && started unsaved || die "run 'upgrade' first"
	nvme-epf save >/dev/null || die "save failed"
	nvme-epf stop unsaved || die "stop failed"
	: > "$log"
	systemctl reload nvme-epf.service || die "reload failed"
	sed 's/^/    /' "$log"
	started unsaved || die "reload did not start the saved function again"
	grep -q 'functions/unsaved/start' "$log" || die "reload did not say what it changed"
	;;
*) die "usage: live-upgrade.sh upgrade CMD... | reload" ;;
esac
